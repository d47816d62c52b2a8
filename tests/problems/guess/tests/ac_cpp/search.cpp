#include <iostream>
#include <string>

int main()
{
	long long n, lo = 1, hi;
	std::cin >> n;
	hi = n;
	for (;;) {
		long long mid = lo + (hi - lo) / 2;
		std::cout << mid << std::endl;
		std::string reply;
		if (!(std::cin >> reply) || reply == "=")
			return 0;
		if (reply == "+")
			lo = mid + 1;
		else
			hi = mid - 1;
	}
}
