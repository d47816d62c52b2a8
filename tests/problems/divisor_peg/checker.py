"""PEG-style checker of divisor_peg: argv = answer, output, input."""
import sys

answer, output, inp = (open(p).read().split() for p in sys.argv[1:4])
n = int(inp[0])
try:
    (d,) = map(int, output)
except ValueError:
    sys.exit(1)
if 1 < d < n and n % d == 0:
    sys.exit(0)
if d in (1, n):
    print(1)
    print(2)
sys.exit(1)
