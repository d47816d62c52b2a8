n = int(input())
print(input())
