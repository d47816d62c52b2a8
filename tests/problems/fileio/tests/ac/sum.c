#include <stdio.h>

int main(void)
{
	FILE *in = fopen("numbers.in", "r"), *out = fopen("sum.out", "w");
	long long n, x, s = 0;
	if (!in || !out || fscanf(in, "%lld", &n) != 1)
		return 1;
	while (n-- > 0 && fscanf(in, "%lld", &x) == 1)
		s += x;
	fprintf(out, "%lld\n", s);
	return fclose(out) != 0;
}
