#include <stdio.h>

/* never flushes: the problem is `unbuffered` */
int main(void)
{
	long long n, lo = 1, hi;
	char reply[8];
	if (scanf("%lld", &n) != 1)
		return 1;
	hi = n;
	for (;;) {
		long long mid = lo + (hi - lo) / 2;
		printf("%lld\n", mid);
		if (scanf("%7s", reply) != 1 || reply[0] == '=')
			return 0;
		if (reply[0] == '+')
			lo = mid + 1;
		else
			hi = mid - 1;
	}
}
