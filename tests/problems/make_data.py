#!/usr/bin/env python3
"""Writes the bundled example problems' test data (deterministic).

Run from this folder; the output is committed, so this only documents how
the data was made and lets it be remade.
"""
import math
import random

rng = random.Random(20261122)


def write(path, text):
    with open(path, "w", newline="") as f:
        f.write(text)


# aplusb: 10 cases. Cases 1-2 single (5 points each), batch 1 (cases 3-6,
# 40 points) small numbers, batch 2 (cases 7-10, 50 points, depends on
# batch 1) sums that overflow a 32-bit int.
for i in range(1, 11):
    big = i >= 7
    lim = 2 * 10**9 if big else 1000
    t = 3 + i
    pairs = [(rng.randint(-lim if not big else 10**9, lim), rng.randint(-lim if not big else 10**9, lim)) for _ in range(t)]
    text = "%d\n" % t + "".join("%d %d\n" % p for p in pairs)
    if i == 2:
        text = text.replace("\n", "\r\n")  # a CRLF input: the judge normalises it
    write("aplusb/aplusb.%d.in" % i, text)
    write("aplusb/aplusb.%d.out" % i, "".join("%d\n" % (a + b) for a, b in pairs))

# circle: area of a circle, checked with the floats checker.
for i, r in enumerate([1, 2.5, 10, 1234.5678, 0.001], 1):
    write("circle/%d.in" % i, "%r\n" % r)
    write("circle/%d.out" % i, "%.10f\n" % (math.pi * r * r))

# sumlist: a 0-point sample, then three cases: sum of a list.
for i in range(0, 4):
    n = [3, 5, 100, 1000][i]
    xs = [rng.randint(-1000, 1000) for _ in range(n)]
    write("sumlist/%d.in" % i, "%d\n%s\n" % (n, " ".join(map(str, xs))))
    write("sumlist/%d.out" % i, "%d\n" % sum(xs))
