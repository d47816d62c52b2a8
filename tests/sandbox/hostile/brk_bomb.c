// expect: MLE
// Grows the data segment with brk until it fails, and writes on anyway.
#define _GNU_SOURCE
#include <unistd.h>
int main(void)
{
	for (;;) {
		char *p = sbrk(1 << 20);
		for (int i = 0; i < (1 << 20); i += 4096)
			p[i] = 1;
	}
}
