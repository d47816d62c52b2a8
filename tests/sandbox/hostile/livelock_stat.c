// expect: TLE
// wall: 10
// Threads calling stat on 4,000-character paths without end: each call is
// the tracer's work (and a freeze of the others), not the program's CPU
// time. The tracer must still end the run at its limits.
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#define THREADS 30
static char path[4008];
static void *hammer(void *arg)
{
	struct stat st;
	for (;;)
		stat(path, &st);
	return arg;
}
int main(void)
{
	/* 571 components the tracer must look up one by one */
	for (int i = 0; i + 7 <= 4000; i += 7)
		memcpy(path + i, "/usr/..", 7);
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 65536);
	for (int i = 0; i < THREADS; i++) {
		pthread_t t;
		pthread_create(&t, &a, hammer, NULL);
	}
	hammer(NULL);
}
