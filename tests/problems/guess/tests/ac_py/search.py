# print() without flush=True: the problem is `unbuffered`
n = int(input())
lo, hi = 1, n
while True:
    mid = (lo + hi) // 2
    print(mid)
    reply = input().strip()
    if reply == '=':
        break
    if reply == '+':
        lo = mid + 1
    else:
        hi = mid - 1
