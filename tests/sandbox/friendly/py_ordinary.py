# expect: AC
# Reading input, math, collections, deep recursion, a big list.
import collections
import math
import sys

sys.setrecursionlimit(100000)


def depth(n):
    return 0 if n == 0 else depth(n - 1) + 1


data = sys.stdin.read().split()
n = int(data[0])
nums = list(map(int, data[1:1 + n]))
c = collections.Counter(x % 2 for x in nums)
big = [i * i for i in range(1000000)]
ok = sum(nums) == 15 and c[1] == 3 and math.isclose(math.sqrt(16), 4) and depth(20000) == 20000
print("safe" if ok and len(big) == 1000000 else "wrong")
