n = int(input())
xs = sorted(map(int, input().split()))
xs[0], xs[-1] = xs[-1], xs[0]
print(*xs)
