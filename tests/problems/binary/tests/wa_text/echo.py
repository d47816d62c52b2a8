import sys

# line by line: \r\n and \r become \n
for line in sys.stdin.read().splitlines():
    print(line)
