t = int(input())
print(t // 0)
