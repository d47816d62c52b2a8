// expect: RTE 32-bit getpid syscall disallowed | segmentation fault
// (a kernel without IA32 emulation stops the program with SIGSEGV first)
// A 64-bit program calling through int $0x80: 20 is getpid in the 32-bit
// table (writev in the 64-bit one), so the name proves the decoding.
#define _GNU_SOURCE
#include <stdio.h>
int main(void)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
	printf("BREACH: int 0x80 returned %ld\n", ret);
	return 0;
}
