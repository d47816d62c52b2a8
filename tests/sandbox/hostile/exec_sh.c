// expect: RTE execve syscall disallowed
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>
int main(void)
{
	char *argv[] = {"sh", "-c", "echo BREACH", NULL};
	execv("/bin/sh", argv);
	puts("BREACH: execve returned");
	return 0;
}
