import sys

# reads only the first 100 numbers
data = sys.stdin.buffer.read().split()
print(sum(map(int, data[1:101])))
