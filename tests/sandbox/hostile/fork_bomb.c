// expect: RTE clone syscall disallowed
// A fork bomb: the first fork kills it.
#define _GNU_SOURCE
#include <unistd.h>
int main(void)
{
	for (;;)
		fork();
}
