// expect: MLE
// Recursion without end, touching its frames.
#define _GNU_SOURCE
#include <stdio.h>
static int down(int n)
{
	volatile char frame[4096];
	frame[0] = (char)n;
	frame[4095] = (char)n;
	return down(n + 1) + frame[0];
}
int main(void)
{
	printf("%d\n", down(0));
	return 0;
}
