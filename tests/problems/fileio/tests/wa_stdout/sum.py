# the right sum, on stdout: the answer is read from sum.out
with open('numbers.in') as f:
    data = f.read().split()
print(sum(map(int, data[1:int(data[0]) + 1])))
