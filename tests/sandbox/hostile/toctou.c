// expect: AC|TLE
// time: 5
// A second thread swaps the path between the tracer's check and the
// kernel's use: an allowed file one moment, the sentinel the next.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static char path[4096];
static const char *allowed = "/etc/ld.so.cache", *secret = "@SENTINEL@";
static volatile int stop;
static void *flip(void *arg)
{
	while (!stop) {
		strcpy(path, secret);
		strcpy(path, allowed);
	}
	return arg;
}
int main(void)
{
	pthread_t t;
	strcpy(path, allowed);
	pthread_create(&t, NULL, flip, NULL);
	int breaches = 0;
	for (int i = 0; i < 3000; i++) {
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		char buf[32] = "";
		/* told at once: a run cut short by its time limit on a busy
		 * machine must still show a breach */
		if (read(fd, buf, sizeof(buf) - 1) > 0 && !strncmp(buf, "sentinel", 8)) {
			if (!breaches++) {
				puts("BREACH");
				fflush(stdout);
			}
		}
		close(fd);
	}
	stop = 1;
	pthread_join(t, NULL);
	if (breaches)
		printf("BREACH: read the sentinel %d times\n", breaches);
	else
		puts("safe");
	return 0;
}
