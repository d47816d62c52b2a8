/*
 * A program for sandbox tests to run: each mode does one thing the
 * supervisor must measure or stop. Not a submission; built without the
 * judge's flags.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
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

static volatile sig_atomic_t ticks;
static void on_tick(int sig)
{
	ticks++;
}

/* The path the open loop uses, flipped by another thread. */
static char flip_path[4096];
static const char *flip_a, *flip_b;
static volatile int flip_stop;

static void *flip_thread(void *arg)
{
	while (!flip_stop) {
		strcpy(flip_path, flip_b);
		strcpy(flip_path, flip_a);
	}
	return arg;
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
	if (!strcmp(mode, "writes")) {
		/* arg one-byte write calls, each a real system call */
		for (long i = 0; i < arg; i++)
			if (write(1, "x", 1) != 1)
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
	if (!strcmp(mode, "open") || !strcmp(mode, "create")) {
		/* prints "ok" or the errno's name, as a policy test expects */
		int fd = !strcmp(mode, "open") ? open(argv[2], O_RDONLY)
					       : open(argv[2], O_WRONLY | O_CREAT, 0600);
		puts(fd >= 0	       ? "ok"
		     : errno == EACCES ? "EACCES"
		     : errno == ENOENT ? "ENOENT"
				       : "other");
		return 0;
	}
	if (!strcmp(mode, "stat")) {
		struct stat st;
		int r = stat(argv[2], &st);
		puts(!r ? "ok" : errno == EACCES ? "EACCES" : errno == ENOENT ? "ENOENT" : "other");
		return 0;
	}
	if (!strcmp(mode, "flip")) {
		/* opens argv[2] argv[4] times while a thread swaps it with
		 * argv[3]; prints how often argv[3]'s first line came back */
		pthread_t t;
		flip_a = argv[2];
		flip_b = argv[3];
		strcpy(flip_path, flip_a);
		pthread_create(&t, NULL, flip_thread, NULL);
		int got = 0, tries = argc > 4 ? atoi(argv[4]) : 3000;
		for (int i = 0; i < tries; i++) {
			int fd = open(flip_path, O_RDONLY);
			char buf[16] = "";
			if (fd >= 0 && read(fd, buf, 8) > 0 && !strncmp(buf, "secret", 6))
				got++;
			if (fd >= 0)
				close(fd);
		}
		flip_stop = 1;
		pthread_join(t, NULL);
		printf("%d\n", got);
		return 0;
	}
	if (!strcmp(mode, "hold")) {
		/* argv[2] MiB touched, then held */
		size_t n = (size_t)arg << 20;
		char *p = malloc(n);
		if (!p)
			return 3;
		memset(p, 1, n);
		sleep(1000);
		return p[n - 1];
	}
	if (!strcmp(mode, "nproc")) {
		/* the kernel's bound on this user's tasks */
		struct rlimit rl;
		if (getrlimit(RLIMIT_NPROC, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
			puts("unlimited");
		else
			printf("%llu\n", (unsigned long long)rl.rlim_cur);
		return 0;
	}
	if (!strcmp(mode, "prctl")) {
		/* prctl option argv[2] (PR_SET_NAME is 15) */
		int r = prctl((int)arg, (unsigned long)"probe-thread", 0, 0, 0);
		printf("%s\n", r == 0 ? "ok" : strerror(errno));
		return 0;
	}
	if (!strcmp(mode, "forks")) {
		/* argv[2] forks one after another, each child gone before the
		 * next, under a stream of timer signals (a clone the kernel
		 * restarts because a signal arrived stops at the tracer again);
		 * prints how many failed */
		struct sigaction sa = {.sa_handler = on_tick};
		sigaction(SIGALRM, &sa, NULL);
		struct itimerval it = {{0, 50}, {0, 50}};
		setitimer(ITIMER_REAL, &it, NULL);
		int failed = 0;
		for (long i = 0; i < arg; i++) {
			pid_t pid = fork();
			if (pid == 0)
				_exit(0);
			if (pid < 0)
				failed++;
			else
				while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
					;
		}
		printf("%d\n", failed);
		return 0;
	}
	if (!strcmp(mode, "connect")) {
		/* a TCP connection to this machine's port argv[2] */
		int s = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = {.sin_family = AF_INET,
					.sin_port = htons((unsigned short)arg)};
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
			printf("refused %d\n", errno);
		else
			puts("connected");
		return 0;
	}
	fprintf(stderr, "probe: unknown mode %s\n", mode);
	return 100;
}
