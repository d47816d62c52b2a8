// expect: RTE ioctl syscall disallowed
// Pushing a command into the judge's terminal: there is none to open, and
// TIOCSTI on the standard streams is refused whatever they are.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
int main(void)
{
	int tty = open("/dev/tty", O_RDWR);
	if (tty >= 0)
		puts("BREACH: /dev/tty opened");
	char c = 'x';
	ioctl(tty >= 0 ? tty : 0, TIOCSTI, &c);
	puts("BREACH: TIOCSTI returned");
	return 0;
}
