/*
 * A program for sandbox tests to run: each mode does one thing the
 * supervisor must measure or stop. Not a submission; built without the
 * judge's flags.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Spins until this thread alone has used *arg seconds of CPU. */
static void *spin_thread(void *arg)
{
	volatile unsigned long n = 0;
	double until = *(double *)arg;
	struct timespec ts;
	do {
		n++;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	} while ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9 < until);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long arg = argc > 2 ? atol(argv[2]) : 0;
	if (!strcmp(mode, "exit"))
		return (int)arg;
	if (!strcmp(mode, "signal"))
		raise((int)arg);
	if (!strcmp(mode, "spin"))
		for (volatile unsigned long n = 0;; n++)
			;
	if (!strcmp(mode, "sleep"))
		sleep(1000);
	if (!strcmp(mode, "alloc")) {
		size_t n = (size_t)arg << 20;
		volatile char *p = malloc(n);
		if (!p)
			return 3;
		for (size_t i = 0; i < n; i += 4096)
			p[i] = 1;
		return 0;
	}
	if (!strcmp(mode, "write")) {
		char buf[4096];
		memset(buf, 'x', sizeof(buf));
		for (long left = arg; left > 0; left -= (long)sizeof(buf))
			if (fwrite(buf, 1, left < (long)sizeof(buf) ? (size_t)left : sizeof(buf),
				   stdout) == 0)
				return 4;
		return 0;
	}
	if (!strcmp(mode, "echo")) {
		int c;
		while ((c = getchar()) != EOF)
			putchar(c);
		fputs("to stderr\n", stderr);
		return 0;
	}
	if (!strcmp(mode, "orphan")) {
		/* leaves a child spinning behind; the sandbox must kill it */
		if (fork() == 0) {
			setsid();
			for (;;)
				pause();
		}
		return 0;
	}
	if (!strcmp(mode, "children")) {
		/* CPU spent in a child counts for the tree */
		pid_t pid = fork();
		if (pid == 0) {
			double until = 0.3;
			spin_thread(&until);
			_exit(0);
		}
		int st;
		waitpid(pid, &st, 0);
		return 0;
	}
	if (!strcmp(mode, "threads")) {
		pthread_t t[2];
		double until = 0.2;
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, spin_thread, &until);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		return 0;
	}
	if (!strcmp(mode, "cwd")) {
		char buf[4096];
		if (!getcwd(buf, sizeof(buf)))
			return 5;
		puts(buf);
		return 0;
	}
	if (!strcmp(mode, "fds")) {
		/* counts the descriptors it inherited beyond 0, 1, 2 */
		int n = 0;
		for (int fd = 3; fd < 1024; fd++)
			if (fcntl(fd, F_GETFD) != -1)
				n++;
		printf("%d\n", n);
		return 0;
	}
	fprintf(stderr, "probe: unknown mode %s\n", mode);
	return 100;
}
