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


# ---- problems of the whole format (issue 5) ----
import os
import zipfile


def sum_case(n, lim=10**9, crlf=False):
    xs = [rng.randint(-lim, lim) for _ in range(n)]
    text = "%d\n%s\n" % (n, " ".join(map(str, xs)))
    if crlf:
        text = text.replace("\n", "\r\n")
    return text, "%d\n" % sum(xs)


def zip_of(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in members:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text)


# sumarchive: sum of a list, data only in data.zip, cases found by DMOJ's
# default file-name patterns: two single cases, a batch (3.1, 3.2) and a
# large case (8 MB of input, a few KB compressed) that is streamed out of
# the archive.
members = []
for name, (n, crlf) in [("sum.1", (5, False)), ("sum.2", (10, True)), ("sum.3.1", (50, False)),
                        ("sum.3.2", (60, False))]:
    i, o = sum_case(n, crlf=crlf)
    members += [(name + ".in", i), (name + ".out", o)]
big = 4000000
members += [("sum.4.in", "%d\n%s\n" % (big, " ".join(["7"] * big))), ("sum.4.out", "%d\n" % (7 * big))]
zip_of("sumarchive/data.zip", members)

# sumformats: the same task, file names given by input_format/output_format
# and points by case_points: cases 1 and 2, batch 3 (cases 3-1, 3-2).
members = []
for name, n in [("1", 3), ("2", 7), ("3-1", 20), ("3-2", 30)]:
    i, o = sum_case(n)
    members += [("input/%s.txt" % name, i), ("output/%s.txt" % name, o)]
zip_of("sumformats/cases.zip", members + [("README", "not a case\n")])

# divisor: print a proper divisor of n (many answers: a bridged checker).
# checker_peg (the same task, answer file holds one divisor) reuses it.
for d in ("divisor", "divisor_peg"):
    for i, n in enumerate([6, 35, 1000000007 * 3, 999999000001 * 2], 1):
        write("%s/%d.in" % (d, i), "%d\n" % n)
        write("%s/%d.out" % (d, i), "%d\n" % min(p for p in range(2, 10**6) if n % p == 0))

# sortpoints: sort a list; the testlib-style checker gives the fraction of
# positions right. sortcoci: the same with a coci-style checker.
for d in ("sortpoints", "sortcoci"):
    for i, n in enumerate([5, 8, 20], 1):
        xs = [rng.randint(1, 100) for _ in range(n)]
        write("%s/%d.in" % (d, i), "%d\n%s\n" % (n, " ".join(map(str, xs))))
        write("%s/%d.out" % (d, i), "%s\n" % " ".join(map(str, sorted(xs))))

# guess: the secret numbers of the interactive problem.
for i, (n, secret) in enumerate([(10, 7), (1000, 1), (10**9, 123456789)], 1):
    write("guess/%d.in" % i, "%d %d\n" % (n, secret))
    write("guess/%d.out" % i, "%d\n" % secret)

# pretests, signature, fileio, pycheck: sums again.
for d, ns in [("pretests", [2, 3, 4, 50, 60]), ("signature", [1, 2, 100]),
              ("fileio", [3, 40]), ("pycheck", [4, 5, 6])]:
    for i, n in enumerate(ns, 1):
        inp, out = sum_case(n)
        write("%s/%d.in" % (d, i), inp)
        write("%s/%d.out" % (d, i), out)

# binary: the expected output keeps its \r\n (binary_data).
write("binary/1.in", "hello\r\nworld\r\n")
write("binary/1.out", "hello\r\nworld\r\n")
write("binary/2.in", "a\rb\n")
write("binary/2.out", "a\rb\n")
