// expect: AC
// A million levels of recursion (a deep DFS), about 100 MiB of stack.
#define _GNU_SOURCE
#include <stdio.h>
static long depth(long n, volatile long *sink)
{
	volatile long pad[8];
	pad[0] = n;
	if (n == 0)
		return 0;
	long r = depth(n - 1, sink) + 1;
	*sink += pad[0];
	return r;
}
int main(void)
{
	volatile long sink = 0;
	long d = depth(1000000, &sink);
	puts(d == 1000000 ? "safe" : "wrong");
	return 0;
}
