// expect: AC
// What ordinary programs touch: its folder, /dev/null, the time zone,
// sysconf, its own /proc/self files.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
int main(void)
{
	char cwd[4096];
	struct stat st;
	int ok = getcwd(cwd, sizeof(cwd)) != NULL && stat(".", &st) == 0;
	FILE *null = fopen("/dev/null", "w");
	ok = ok && null && fputs("x", null) >= 0;
	if (null)
		fclose(null);
	time_t t = time(NULL);
	ok = ok && localtime(&t) != NULL;
	ok = ok && sysconf(_SC_NPROCESSORS_ONLN) > 0;
	FILE *status = fopen("/proc/self/status", "r");
	ok = ok && status != NULL;
	if (status)
		fclose(status);
	char *real = realpath(".", NULL);
	ok = ok && real && !strcmp(real, cwd);
	free(real);
	puts(ok ? "safe" : "wrong");
	return 0;
}
