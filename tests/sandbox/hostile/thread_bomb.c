// expect: TLE
// Threads without end: creation fails at the executor's task limit and the
// bomb spins on until the CPU limit.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
static void *spin(void *arg)
{
	for (volatile unsigned long i = 0;; i++)
		;
	return arg;
}
int main(void)
{
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 65536);
	for (;;) {
		pthread_t t;
		pthread_create(&t, &a, spin, NULL);
	}
}
