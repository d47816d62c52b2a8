// expect: RTE execveat syscall disallowed
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void)
{
	char *argv[] = {"sh", NULL}, *envp[] = {NULL};
	syscall(SYS_execveat, AT_FDCWD, "/bin/sh", argv, envp, 0);
	puts("BREACH: execveat returned");
	return 0;
}
