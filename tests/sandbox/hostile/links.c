// expect: AC
// Symlink and hard-link tricks, and ".." walks, towards a file outside.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
	const char *sentinel = "@SENTINEL@";
	int breaches = 0;
	breaches += symlink(sentinel, "link") == 0;
	breaches += link(sentinel, "hard") == 0;
	breaches += symlink(sentinel, "/tmp/judge-sandbox-link") == 0;
	/* a symlink the system already has: /proc/self/root is "/" */
	char path[4096];
	snprintf(path, sizeof(path), "/proc/self/root%s", sentinel);
	breaches += open(path, O_RDONLY) >= 0;
	snprintf(path, sizeof(path), "/proc/self/cwd/../../../../../../../..%s", sentinel);
	breaches += open(path, O_RDONLY) >= 0;
	snprintf(path, sizeof(path), "../../../../../../../../../..%s", sentinel);
	breaches += open(path, O_RDONLY) >= 0;
	snprintf(path, sizeof(path), "/usr/lib/../..%s", sentinel);
	breaches += open(path, O_RDONLY) >= 0;
	breaches += open("/etc/../etc/./shadow", O_RDONLY) >= 0;
	if (chdir("/") == 0)
		breaches += open("etc/shadow", O_RDONLY) >= 0;
	if (breaches)
		printf("BREACH: %d tricks worked\n", breaches);
	else
		puts("safe");
	return 0;
}
