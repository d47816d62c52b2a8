// expect: AC
// std::thread workers summing parts of the input, plus iostream.
#include <iostream>
#include <numeric>
#include <thread>
#include <vector>
int main()
{
	int n;
	std::cin >> n;
	std::vector<long> v(n);
	for (auto &x : v)
		std::cin >> x;
	std::vector<long> part(4, 0);
	std::vector<std::thread> workers;
	for (int t = 0; t < 4; t++)
		workers.emplace_back([&, t] {
			for (int i = t; i < n; i += 4)
				part[t] += v[i];
		});
	for (auto &w : workers)
		w.join();
	long sum = std::accumulate(part.begin(), part.end(), 0L);
	std::cout << (sum == 15 ? "safe" : "wrong") << "\n";
}
