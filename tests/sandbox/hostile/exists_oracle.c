// expect: AC
// Whether something exists outside the policy must not show in the
// error: a file used as a folder (@SENTINEL@/x) and a missing folder
// (@SENTINEL_DIR@/missing/x), both outside, must fail alike, whatever the
// call (the tracer walks paths as root, where the program could not).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
static int err_of(int call, const char *path)
{
	struct stat st;
	char buf[64];
	int r = call == 0   ? open(path, O_RDONLY)
		: call == 1 ? stat(path, &st)
		: call == 2 ? access(path, F_OK)
		: call == 3 ? (int)readlink(path, buf, sizeof(buf))
			    : open(path, O_WRONLY | O_CREAT, 0644);
	return r < 0 ? errno : 0;
}
int main(void)
{
	const char *names[] = {"open", "stat", "access", "readlink", "creat"};
	int leaks = 0;
	for (int call = 0; call < 5; call++) {
		int file = err_of(call, "@SENTINEL@/x");
		int missing = err_of(call, "@SENTINEL_DIR@/missing/x");
		if (file != missing) {
			printf("BREACH: %s tells a file (%s) from nothing (%s)\n", names[call],
			       strerror(file), strerror(missing));
			leaks++;
		}
	}
	if (!leaks)
		puts("safe");
	return 0;
}
