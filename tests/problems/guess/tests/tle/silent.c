#include <unistd.h>

/* never guesses: the wall clock ends it */
int main(void)
{
	sleep(60);
	return 0;
}
