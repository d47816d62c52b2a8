// expect: RTE clone syscall disallowed
// Threads made with CLONE_UNTRACED: the kernel does not attach them to the
// tracer despite PTRACE_O_TRACECLONE, so they would escape the task limit
// (and the freeze of memory sharers while a path is checked). The call
// must never run; if one did, the program says how many it got.
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#define WANT  300
#define STACK 16384
static volatile int made;
int main(void)
{
	unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			      CLONE_SYSVSEM | CLONE_UNTRACED;
	char *stacks = malloc((size_t)WANT * STACK);
	for (int i = 0; stacks && i < WANT; i++) {
		/* the child starts on its own stack with nothing but registers:
		 * it sleeps in raw system calls until the program ends */
		char *top = stacks + (size_t)(i + 1) * STACK;
		register long r10 __asm__("r10") = 0, r8 __asm__("r8") = 0;
		long r;
		__asm__ volatile("syscall"
				 : "=a"(r)
				 : "0"(SYS_clone), "D"(flags), "S"(top), "d"(0), "r"(r10), "r"(r8)
				 : "rcx", "r11", "memory");
		if (r == 0) {
			for (;;)
				__asm__ volatile("mov %0, %%eax\n\tsyscall" ::"i"(SYS_pause)
						 : "rax", "rcx", "r11", "memory");
		}
		if (r < 0)
			break;
		made++;
	}
	if (made)
		printf("BREACH: %d untraced threads\n", made);
	else
		puts("safe");
	return 0;
}
