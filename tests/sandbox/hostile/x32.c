// expect: RTE x32 getpid syscall disallowed
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void)
{
	long ret = syscall(0x40000000L | SYS_getpid);
	printf("BREACH: x32 getpid returned %ld\n", ret);
	return 0;
}
