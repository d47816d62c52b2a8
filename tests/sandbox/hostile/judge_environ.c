// expect: AC
// The judge's environment (its key could be there) through /proc.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
	char path[64];
	pid_t pids[] = {getppid(), 1};
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/environ", pids[i]);
		if (open(path, O_RDONLY) >= 0) {
			printf("BREACH: opened %s\n", path);
			return 0;
		}
	}
	puts("safe");
	return 0;
}
