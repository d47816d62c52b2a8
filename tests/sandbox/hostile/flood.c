// expect: OLE
// Output without end on file descriptor @FD@.
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>
int main(void)
{
	char buf[65536];
	memset(buf, 'x', sizeof(buf));
	for (;;)
		if (write(@FD@, buf, sizeof(buf)) < 0)
			return 1;
}
