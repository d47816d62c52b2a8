#include <stdio.h>

/* Two decimals are not enough for small areas. */
int main(void)
{
	double r;
	if (scanf("%lf", &r) != 1)
		return 1;
	printf("%.2f\n", 3.14159265358979 * r * r);
	return 0;
}
