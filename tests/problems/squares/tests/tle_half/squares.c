#include <stdio.h>

/* the first half of the lines, then a loop that never ends */
int main(void)
{
	int n;
	if (scanf("%d", &n) != 1)
		return 1;
	for (int i = 1; i <= n / 2; i++)
		printf("%d\n", i * i);
	fflush(stdout);
	for (volatile int spin = 0;; spin++)
		;
}
