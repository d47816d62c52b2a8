#include <cstdio>
#include <vector>

int main()
{
	std::vector<long long> v(100'000'000, 1);
	std::printf("%lld\n", v[12345]);
}
