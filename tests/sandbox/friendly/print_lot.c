// expect: AC
// problem: big
// A million lines of output.
#define _GNU_SOURCE
#include <stdio.h>
int main(void)
{
	for (int i = 0; i < 1000000; i++)
		printf("%d\n", i);
	return 0;
}
