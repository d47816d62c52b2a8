#!/usr/bin/python3
"""Writes the binary seeds of the harnesses whose inputs are not text, so
that no binary file is committed: `make_seeds.py HARNESS FOLDER`.

frame    bridge frames (4-byte length, zlib, JSON) behind fuzz_frame's mode
         byte: the packets of corpus/packet/, packets the judge sends,
         several frames in one stream, and broken ones (truncated,
         not zlib, not JSON, an announced length over the limit)
checker  fuzz_checker's layout (checker, worth, args, output, answer) for
         every built-in checker, with the arguments and outputs of the
         example problems

Other harnesses get nothing from here (their seeds are committed text).
Standard library only.
"""
import glob
import json
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def frame(payload, level=6):
    z = zlib.compress(payload, level)
    return struct.pack(">I", len(z)) + z


def frame_seeds():
    packets = []
    for path in sorted(glob.glob(os.path.join(HERE, "corpus", "packet", "*.json"))):
        with open(path, "rb") as f:
            packets.append(f.read().strip())
    sent = [
        {"name": "handshake", "problems": [["aplusb", 1700000000.5]],
         "executors": {"CPP17": [["g++17", [12, 2, 0]]]}, "id": "j", "key": "k"},
        {"name": "test-case-status", "submission-id": 1, "cases": [
            {"position": 1, "status": 0, "time": 0.01, "points": 5.0, "total-points": 5.0,
             "memory": 3300, "output": "3\n" * 40, "feedback": "ok " * 30,
             "extended-feedback": "", "voluntary-context-switches": 1,
             "involuntary-context-switches": 0, "runtime-version": "g++17 12.2.0"}]},
        {"name": "compile-error", "submission-id": 2, "log": "é error: ✗ " * 200},
        {"name": "internal-error", "submission-id": 3, "message": "x" * 70, "log": "y" * 90},
    ]
    packets += [json.dumps(p).encode() for p in sent]
    seeds = {}
    for i, p in enumerate(packets):
        # all at once with the default limit; in 3-byte pieces with 64 KiB;
        # with a small limit so that sending back has to cut
        seeds["packet%02d_whole" % i] = bytes([0x00]) + frame(p)
        seeds["packet%02d_pieces" % i] = bytes([0x23]) + frame(p, 9)
        seeds["packet%02d_small" % i] = bytes([0x50]) + frame(p, 1)
    stream = b"".join(frame(p) for p in packets[:4])
    seeds["stream"] = bytes([0x07]) + stream
    seeds["stream_truncated"] = bytes([0x01]) + stream[:-3]
    seeds["not_zlib"] = bytes([0x00]) + struct.pack(">I", 5) + b"hello"
    seeds["not_json"] = bytes([0x00]) + frame(b'{"name": ')
    seeds["not_object"] = bytes([0x00]) + frame(b'"name"')
    seeds["too_long"] = bytes([0x60]) + struct.pack(">I", 65) + b"\0" * 65
    seeds["bomb"] = bytes([0x40]) + frame(b" " * 8000 + b"{}")
    seeds["empty_frame"] = bytes([0x00]) + struct.pack(">I", 0)
    return seeds


# the order of fuzz_checker.c's `names`
CHECKERS = ["standard", "identical", "rstripped", "linecount", "linematches", "sorted",
            "unordered", "easy", "floats", "floatsabs", "floatsrel", "no-such-checker"]


def checker_seed(name, args, output, answer, worth=0):
    a = json.dumps(args).encode() if args is not None else b""
    return (bytes([CHECKERS.index(name), worth]) + struct.pack("<HH", len(a), len(output)) +
            a + output + answer)


def checker_seeds():
    cases = [
        ("standard", None, b"3\n", b"3\n"),
        ("standard", None, b"  3   4 \r\n\n", b"3 4\n"),
        ("standard", {}, b"3\n4\n", b"34\n"),
        ("identical", {"pe_allowed": False}, b"1 2\r\n", b"1 2\n"),
        ("identical", {"pe_allowed": True}, b"1  2\n", b"1 2\n"),
        ("rstripped", {"filter_new_line": True}, b"a \nb\t\n\n", b"a\nb\n"),
        ("linecount", {"feedback": True}, b"1\n4\n0\n", b"1\n4\n9\n"),
        ("linematches", {"point_distribution": [1, 2, 0.5], "filler_lines_required": False},
         b"x\n\ny\nz\n", b"x\ny\nw\n"),
        ("linematches", None, b"only\n", b"only\n"),
        ("sorted", {"split_on": "whitespace"}, b"3 1 2\n", b"1 2 3\n"),
        ("sorted", {"split_on": "lines"}, b"b c\na\n", b"a\nb c\n"),
        ("unordered", None, b"2 1\n4 3\n", b"1 2 3 4\n"),
        ("easy", None, b"Hello World", b"helloworld\n"),
        ("floats", {"precision": 4}, b"3.14159 2e-3\n", b"3.1416 0.002\n"),
        ("floats", {"precision": "6", "error_mode": "absolute"}, b"1_000.5 nan\n",
         b"1000.5 NaN\n"),
        ("floats", {"precision": 300, "error_mode": "relative"}, b"-inf 1e308\n",
         b"-Infinity 1E+308\n"),
        ("floatsabs", {"precision": -22}, b"0." + b"0" * 900 + b"1\n", b"0\n"),
        ("floatsrel", {"precision": 2.0}, b"100 text\n", b"101 text\n"),
        ("floats", None, b"1e99999999999999999999 0x1p3 1__2\n", b"1e-99999999999999999999 8 12\n"),
        ("floats", {"precision": 300}, b"5e-324 -0\n", b"0 0\n"),
        ("linematches", {"point_distribution": [1e308, 1e308]}, b"a\nb\n", b"a\nb\n"),
        ("no-such-checker", None, b"1\n", b"1\n"),
        ("standard", {"unknown": 1}, b"1\n", b"1\n"),
    ]
    return {"%s_%02d" % (c[0], i): checker_seed(*c, worth=i % 7)
            for i, c in enumerate(cases)}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_seeds.py HARNESS FOLDER")
    harness, folder = sys.argv[1:]
    seeds = {"frame": frame_seeds, "checker": checker_seeds}.get(harness, dict)()
    os.makedirs(folder, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(folder, "seed_" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
