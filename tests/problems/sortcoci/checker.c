/* Checker of sortcoci in COCI's conventions: exit 0 all right, 1 nothing
 * right, 7 with `partial A/B` on stderr for A of B positions right. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	FILE *in = argc > 3 ? fopen(argv[1], "r") : NULL;
	FILE *out = argc > 3 ? fopen(argv[2], "r") : NULL;
	FILE *ans = argc > 3 ? fopen(argv[3], "r") : NULL;
	long long n, want, got;
	if (!in || !out || !ans || fscanf(in, "%lld", &n) != 1 || n <= 0)
		return 3;
	long long right = 0;
	for (long long i = 0; i < n; i++) {
		if (fscanf(ans, "%lld", &want) != 1)
			return 3;
		if (fscanf(out, "%lld", &got) == 1 && got == want)
			right++;
	}
	if (right == n)
		return 0;
	if (right == 0)
		return 1;
	fprintf(stderr, "partial %lld/%lld\n", right, n);
	return 7;
}
