// expect: AC
// 100 MiB allocated, touched and freed, in pieces and in one block.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void)
{
	char *blocks[50];
	for (int i = 0; i < 50; i++) {
		blocks[i] = malloc(1 << 20);
		if (!blocks[i])
			return 1;
		memset(blocks[i], i, 1 << 20);
	}
	for (int i = 0; i < 50; i++)
		free(blocks[i]);
	char *big = calloc(50, 1 << 20);
	if (!big)
		return 1;
	memset(big, 7, (size_t)50 << 20);
	long s = 0;
	for (size_t i = 0; i < ((size_t)50 << 20); i += 4096)
		s += big[i];
	free(big);
	puts(s == 7L * 12800 ? "safe" : "wrong");
	return 0;
}
