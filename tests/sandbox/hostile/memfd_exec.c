// expect: RTE memfd_create syscall disallowed
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void)
{
	int fd = memfd_create("payload", 0);
	char *argv[] = {"x", NULL}, *envp[] = {NULL};
	fexecve(fd, argv, envp);
	puts("BREACH: memfd_create returned");
	return 0;
}
