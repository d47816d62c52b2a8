with open('list.in') as f:
    data = f.read().split()
with open('sum.out', 'w') as f:
    print(sum(map(int, data[1:int(data[0]) + 1])), file=f)
