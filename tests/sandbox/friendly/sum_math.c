// expect: AC
// Reads the input, uses the math library, prints a result.
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
int main(void)
{
	int n;
	long sum = 0;
	if (scanf("%d", &n) != 1)
		return 1;
	for (int i = 0; i < n; i++) {
		long x;
		if (scanf("%ld", &x) != 1)
			return 1;
		sum += x;
	}
	double r = sqrt((double)sum) * pow(2.0, 3.0) + log(exp(1.0));
	puts(sum == 15 && fabs(r - (sqrt(15.0) * 8 + 1)) < 1e-9 ? "safe" : "wrong");
	return 0;
}
