/* The main of `signature`: reads the list and sums it with the
 * submission's add(). Valid C and C++: it is built in the submission's
 * language. */
#include <stdio.h>

#include "adder.h"

int main(void)
{
	long long n, x, s = 0;
	if (scanf("%lld", &n) != 1)
		return 1;
#ifndef SIGNATURE_GRADER
#error "built without -DSIGNATURE_GRADER"
#endif
	while (n-- > 0 && scanf("%lld", &x) == 1)
		s = add(s, x);
	printf("%lld\n", s);
	return 0;
}
