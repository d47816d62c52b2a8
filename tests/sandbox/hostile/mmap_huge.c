// expect: MLE
// One huge mapping; its failure is ignored and the result used.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
int main(void)
{
	char *p = mmap(NULL, (size_t)64 << 30, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		p = NULL;
	for (size_t i = 0;; i += 4096)
		p[i] = 1;
}
