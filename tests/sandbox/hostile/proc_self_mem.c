// expect: AC
// Writing its own memory through /proc/self/mem (the way around mprotect).
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
int main(void)
{
	int fd = open("/proc/self/mem", O_RDWR);
	puts(fd >= 0 ? "BREACH: /proc/self/mem opened for writing" : "safe");
	return 0;
}
