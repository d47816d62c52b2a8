// expect: RTE kill syscall disallowed
// Signals out of the tree: @WHAT@.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
	pid_t target = @TARGET@;
	kill(target, SIGKILL);
	puts("BREACH: kill returned");
	return 0;
}
