// expect: RTE process_vm_writev syscall disallowed
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>
int main(void)
{
	char buf[8] = "pwned";
	struct iovec l = {buf, sizeof(buf)}, r = {(void *)0x400000, sizeof(buf)};
	process_vm_writev(getppid(), &l, 1, &r, 1, 0);
	puts("BREACH: process_vm_writev returned");
	return 0;
}
