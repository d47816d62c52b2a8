// expect: RTE @CALL@ syscall disallowed
// A call no submission has any business making.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void)
{
	long r = syscall(SYS_@CALL@, @ARGS@);
	printf("BREACH: @CALL@ returned %ld\n", r);
	return 0;
}
