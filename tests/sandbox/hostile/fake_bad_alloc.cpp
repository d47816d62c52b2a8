// expect: RTE std::bad_alloc
// Prints libstdc++'s message for an uncaught std::bad_alloc and aborts,
// without ever being refused memory: a runtime error, which the message
// may name, not a memory limit the judge never saw reached.
#include <cstdio>
#include <cstdlib>
int main()
{
	std::fputs("terminate called after throwing an instance of 'std::bad_alloc'\n"
		   "  what():  std::bad_alloc\n",
		   stderr);
	std::abort();
}
