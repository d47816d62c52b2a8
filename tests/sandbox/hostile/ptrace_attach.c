// expect: RTE ptrace syscall disallowed
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/ptrace.h>
#include <unistd.h>
int main(void)
{
	ptrace(PTRACE_ATTACH, getppid(), 0, 0);
	puts("BREACH: ptrace returned");
	return 0;
}
