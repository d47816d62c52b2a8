// expect: AC
// Reading what no submission may read: @WHAT@. The open must fail; the
// program goes on and says so.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
	const char *path = "@PATH@";
	int fd = open(path, O_RDONLY);
	if (fd >= 0) {
		char buf[64] = "";
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		printf("BREACH: read %zd bytes of %s\n", n, path);
		return 0;
	}
	puts("safe");
	return 0;
}
