// expect: AC
// Changing files outside the working folder: the sentinel is writable by
// everyone, in a folder writable by everyone, so only the sandbox stops it.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void)
{
	const char *sentinel = "@SENTINEL@", *dir = "@SENTINEL_DIR@";
	char path[4096];
	int breaches = 0;
	int fd = open(sentinel, O_WRONLY | O_TRUNC);
	breaches += fd >= 0;
	snprintf(path, sizeof(path), "%s/created", dir);
	breaches += open(path, O_WRONLY | O_CREAT, 0666) >= 0;
	breaches += creat(path, 0666) >= 0;
	breaches += unlink(sentinel) == 0;
	snprintf(path, sizeof(path), "%s/renamed", dir);
	breaches += rename(sentinel, path) == 0;
	breaches += mkdir(path, 0777) == 0;
	breaches += truncate(sentinel, 0) == 0;
	breaches += chmod(sentinel, 0) == 0;
	breaches += open("created-here", O_WRONLY | O_CREAT, 0666) >= 0;
	breaches += open("/tmp/judge-sandbox-test-file", O_WRONLY | O_CREAT, 0666) >= 0;
	if (breaches)
		printf("BREACH: %d writes outside succeeded\n", breaches);
	else
		puts("safe");
	return 0;
}
