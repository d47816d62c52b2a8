/* Checker of `divisor`: argv[1] the program's output, argv[2] the input.
 * Exit 0 when the output is one number d with 1 < d < n dividing n. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MAX_DIGITS
#error "built without -DMAX_DIGITS: the problem's `flags` were not passed"
#endif

static int read_number(FILE *f, long long *x)
{
	char buf[MAX_DIGITS + 2];
	if (fscanf(f, "%20s", buf) != 1 || strlen(buf) > MAX_DIGITS)
		return -1;
	char *end;
	*x = strtoll(buf, &end, 10);
	return *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	FILE *out = fopen(argv[1], "r"), *in = fopen(argv[2], "r");
	long long n, d, extra;
	if (!out || !in || read_number(in, &n) < 0)
		return 2;
	if (read_number(out, &d) < 0) {
		printf("not a number");
		return 1;
	}
	if (fscanf(out, "%lld", &extra) == 1) {
		printf("more than one number");
		return 1;
	}
	if (d <= 1 || d >= n || n % d) {
		printf("%lld is not a proper divisor", d);
		return 1;
	}
	printf("ok");
	return 0;
}
