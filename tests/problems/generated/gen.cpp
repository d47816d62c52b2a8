// Generator of `generated`: the case's input (a list) on stdout, its sum
// (the expected output) on stderr.
//   gen N SEED   N numbers below SCALE from a seeded sequence
//   gen stdin    N and SEED read from stdin (the case's generator_in)
//   gen from-in  the input is the case's `in` file, given on stdin: only
//                its sum is printed
#include <cstdio>
#include <cstdlib>
#include <cstring>

#ifndef SCALE
#error "built without -DSCALE: the generator's `flags` were not passed"
#endif

int main(int argc, char **argv)
{
	long long n, seed, sum = 0;
	if (argc == 2 && !std::strcmp(argv[1], "from-in")) {
		long long x;
		if (std::scanf("%lld", &n) != 1)
			return 1;
		while (n-- > 0 && std::scanf("%lld", &x) == 1)
			sum += x;
		std::fprintf(stderr, "%lld\n", sum);
		return 0;
	}
	if (argc == 2 && !std::strcmp(argv[1], "stdin")) {
		if (std::scanf("%lld %lld", &n, &seed) != 2)
			return 1;
	} else if (argc == 3) {
		n = std::atoll(argv[1]);
		seed = std::atoll(argv[2]);
	} else {
		return 2;
	}
	unsigned long long state = (unsigned long long)seed * 6364136223846793005ULL + 1;
	std::printf("%lld\n", n);
	for (long long i = 0; i < n; i++) {
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		long long x = (long long)((state >> 33) % SCALE);
		sum += x;
		std::printf("%lld%c", x, i + 1 < n ? ' ' : '\n');
	}
	std::fprintf(stderr, "%lld\n", sum);
	return 0;
}
