// Checker of sortpoints (testlib conventions): the fraction of positions
// of the sorted list that are right, of the case's 10 points.
#include "checklib.h"

#include <vector>

using namespace checklib;

int main(int argc, char **argv)
{
	register_checker(argc, argv);
	long long n = inf.read_int("n");
	std::vector<long long> want(n);
	for (auto &x : want)
		x = ans.read_int("an answer number");
	long long right = 0;
	for (long long i = 0; i < n; i++)
		right += ouf.read_int("a number") == want[i];
	if (!ouf.at_end())
		quit(PRESENTATION, "more than %lld numbers", n);
	if (right == n)
		quit(OK, "%lld numbers in order", n);
	if (right == 0)
		quit(WRONG, "no number in its place");
	quit_points(10.0 * right / n, "%lld of %lld in place", right, n);
}
