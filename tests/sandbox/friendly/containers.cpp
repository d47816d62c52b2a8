// expect: AC
// The usual contest C++: bits/stdc++.h, containers, sorting, a map.
#include <bits/stdc++.h>
using namespace std;
int main()
{
	ios::sync_with_stdio(false);
	int n;
	cin >> n;
	vector<int> v(n);
	for (auto &x : v)
		cin >> x;
	sort(v.rbegin(), v.rend());
	map<int, int> m;
	for (int x : v)
		m[x % 3]++;
	vector<long long> big(5'000'000, 1);
	long long s = accumulate(big.begin(), big.end(), 0LL);
	cout << (v[0] == 5 && m[0] == 1 && s == 5'000'000 ? "safe" : "wrong") << "\n";
}
