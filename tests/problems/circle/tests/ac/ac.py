import math

r = float(input())
print("%.9f" % (math.pi * r * r))
