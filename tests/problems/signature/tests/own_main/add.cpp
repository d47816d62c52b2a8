#include <iostream>

long long add(long long a, long long b)
{
	return a + b;
}

// tried locally; the grader's main runs instead
int main()
{
	std::cout << "not the answer\n";
}
