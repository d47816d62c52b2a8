// expect: MLE
// Allocates and touches until malloc fails, then uses the NULL anyway.
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
int main(void)
{
	for (;;) {
		char *p = malloc(1 << 20);
		memset(p, 1, 1 << 20);
	}
}
