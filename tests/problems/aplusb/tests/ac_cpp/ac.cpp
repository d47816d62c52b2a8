#include <iostream>

int main()
{
	std::ios::sync_with_stdio(false);
	int t;
	std::cin >> t;
	while (t--) {
		long long a, b;
		std::cin >> a >> b;
		std::cout << a + b << '\n';
	}
}
