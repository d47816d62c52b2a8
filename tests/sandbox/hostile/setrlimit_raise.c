// expect: AC
// Raising its own limits fails (no capability); asking for another
// process's is refused outright (see syscall.c's prlimit64 case).
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
int main(void)
{
	struct rlimit inf = {RLIM_INFINITY, RLIM_INFINITY};
	int breaches = 0;
	breaches += setrlimit(RLIMIT_AS, &inf) == 0;
	breaches += setrlimit(RLIMIT_CPU, &inf) == 0;
	breaches += setrlimit(RLIMIT_FSIZE, &inf) == 0;
	if (breaches)
		printf("BREACH: %d limits raised\n", breaches);
	else
		puts("safe");
	return 0;
}
