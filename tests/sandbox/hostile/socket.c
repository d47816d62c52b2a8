// expect: RTE socket syscall disallowed
// A socket of family @FAMILY@.
#define _GNU_SOURCE
#include <linux/netlink.h>
#include <stdio.h>
#include <sys/socket.h>
int main(void)
{
	int s = socket(@FAMILY@, @TYPE@, 0);
	printf("BREACH: socket returned %d\n", s);
	return 0;
}
