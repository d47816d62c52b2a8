// Interactor of `guess` (testlib's conventions: input, log, answer files;
// exit 0 AC, 1 WA, 2 presentation error, 3 failure). It tells the program N,
// then answers each guess with `+` (the secret is larger), `-` (smaller) or
// `=`; more than 40 guesses is a wrong answer. What it says on stderr is the
// case's feedback.
#include <cstdio>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 3;
	std::FILE *in = std::fopen(argv[1], "r"), *log = std::fopen(argv[2], "w"),
		  *ans = std::fopen(argv[3], "r");
	long long n, secret, answer, guess;
	if (!in || !log || !ans || std::fscanf(in, "%lld %lld", &n, &secret) != 2 ||
	    std::fscanf(ans, "%lld", &answer) != 1 || answer != secret) {
		std::fprintf(stderr, "bad test data");
		return 3;
	}
	std::printf("%lld\n", n);
	std::fflush(stdout);
	for (int tries = 1; tries <= 40; tries++) {
		int r = std::scanf("%lld", &guess);
		if (r == EOF) {
			std::fprintf(stderr, "no answer after %d guesses", tries - 1);
			return 1;
		}
		if (r != 1) {
			std::fprintf(stderr, "a guess is not a number");
			return 2;
		}
		std::fprintf(log, "guess %lld\n", guess);
		if (guess == secret) {
			std::printf("=\n");
			std::fflush(stdout);
			std::fprintf(stderr, "found in %d guesses", tries);
			return 0;
		}
		std::printf(guess < secret ? "+\n" : "-\n");
		std::fflush(stdout);
	}
	std::fprintf(stderr, "too many guesses");
	return 1;
}
