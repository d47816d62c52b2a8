import sys

data = sys.stdin.buffer.read().split()
n = int(data[0])
total = 0
for i in range(n):
    for j in range(n):
        total += 0
print(sum(map(int, data[1:n + 1])))
