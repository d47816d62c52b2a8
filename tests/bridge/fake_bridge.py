#!/usr/bin/env python3
"""A fake DMOJ site bridge, for testing the live judge end to end.

Standard library only, and written from the protocol contract (which
docs/protocol.md describes) without looking at the judge's own packet code,
so that a bug shared by both sides cannot hide.

The bridge listens on 127.0.0.1 (ephemeral port unless told otherwise),
optionally with TLS, accepts judge connections and offers tests a small API:

    bridge = FakeBridge(key="secret").start()      # bridge.port is the port
    conn = bridge.accept_judge(timeout=60)          # handshake read, checked, accepted
    conn.handshake                                  # the judge's handshake packet
    conn.submit(1, "aplusb", "C", source)           # submission-request
    sub = conn.collect(1, timeout=120)              # every packet of submission 1
    sub.names, sub.cases, sub.codes, sub.points, sub.result, sub.errors()
    rtt, response = conn.ping()
    conn.send({"name": "disconnect"}); conn.send_raw(b"...")
    bridge.restart(); bridge.stop(abort=True)
    bridge.violations                               # frames the real site would refuse

Every frame the judge sends is checked as the site would see it: length
prefix at most 8 MiB, a complete zlib (RFC 1950) stream, strict UTF-8,
strict JSON (no NaN, no duplicate keys, no lone surrogate escapes), an
object with a string "name", a known packet name, and members of the types
the contract gives. Anything wrong is recorded in `violations` (a frame the
site would drop the connection for also makes this bridge drop it).

Command-line mode, handy for demos:

    python3 tests/bridge/fake_bridge.py --port 9998 --key KEY \
        [--submit PROBLEM LANG FILE [--time-limit S] [--memory-limit KIB]]

accepts judges one after another and prints what they send.
"""
import argparse
import collections
import json
import math
import os
import select
import socket
import ssl
import struct
import sys
import threading
import time
import zlib

SITE_MAX_FRAME = 8 * 1024 * 1024  # the site drops a judge that sends more

# Status bits of a test case
AC, WA, RTE, TLE, MLE, IR, SC, OLE, IE = 0, 1, 2, 4, 8, 16, 32, 64, 1 << 30
KNOWN_STATUS_BITS = WA | RTE | TLE | MLE | IR | SC | OLE | IE
# The site shows the first flag set in this order (IE first: it is not in
# the site's list, but a case carrying it is an internal error whatever else).
DISPLAY_ORDER = (("IE", IE), ("TLE", TLE), ("MLE", MLE), ("OLE", OLE), ("RTE", RTE),
                 ("IR", IR), ("WA", WA), ("SC", SC))
# Final verdict of a submission: the worst case in this order.
VERDICT_ORDER = ("SC", "AC", "WA", "MLE", "TLE", "IR", "RTE", "OLE", "IE")

FINAL_PACKETS = frozenset(("grading-end", "compile-error", "internal-error",
                           "submission-terminated"))
SUBMISSION_PACKETS = frozenset(("submission-acknowledged", "grading-begin", "compile-error",
                                "compile-message", "batch-begin", "batch-end",
                                "test-case-status", "grading-end", "submission-terminated",
                                "internal-error"))
JUDGE_PACKETS = SUBMISSION_PACKETS | {"handshake", "supported-problems", "ping-response",
                                      "current-submission-id"}
# Members of a case object: the ones the site needs, and the rest of the
# contract's table.
CASE_REQUIRED = {"position": "int", "status": "int", "time": "number", "points": "number",
                 "total-points": "number", "memory": "int", "output": "str"}
CASE_OPTIONAL = {"feedback": "str", "extended-feedback": "str",
                 "voluntary-context-switches": "int", "involuntary-context-switches": "int",
                 "runtime-version": "str"}
CASE_MEMBERS = dict(CASE_REQUIRED, **CASE_OPTIONAL)


class BridgeTimeout(AssertionError):
    """Nothing (matching) arrived in time."""


class ConnectionClosed(AssertionError):
    """The connection is closed and holds nothing (matching) any more."""


class FrameError(Exception):
    """A frame the site would refuse."""


# ---------------------------------------------------------------- framing

def encode_frame(obj, ensure_ascii=True, level=6):
    """One frame: 4-byte big-endian length + zlib stream of the JSON text.

    obj may be a dict (serialised like the site does: compact JSON, ASCII
    escapes unless ensure_ascii is false) or bytes (compressed as they are,
    for malformed-input tests)."""
    if isinstance(obj, (bytes, bytearray)):
        text = bytes(obj)
    else:
        text = json.dumps(obj, ensure_ascii=ensure_ascii, separators=(",", ":")).encode("utf-8")
    return frame_payload(zlib.compress(text, level))


def frame_payload(payload):
    """A frame around an already compressed (or deliberately broken) payload."""
    return struct.pack("!I", len(payload)) + payload


def _no_duplicate_keys(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise ValueError("duplicate key %r" % k)
        obj[k] = v
    return obj


def _no_constants(name):
    raise ValueError("%s is not JSON" % name)


def _lone_surrogate(value, path="$"):
    """Path of the first string holding a lone surrogate (an escape like
    \\udc80 that is not valid Unicode), or None."""
    if isinstance(value, str):
        for ch in value:
            if 0xD800 <= ord(ch) <= 0xDFFF:
                return path
        return None
    if isinstance(value, dict):
        for k, v in value.items():
            p = _lone_surrogate(k, path) or _lone_surrogate(v, "%s.%s" % (path, k))
            if p:
                return p
    if isinstance(value, list):
        for i, v in enumerate(value):
            p = _lone_surrogate(v, "%s[%d]" % (path, i))
            if p:
                return p
    return None


def decode_payload(payload):
    """The packet (dict) in one frame's payload; FrameError if the site
    would refuse it."""
    d = zlib.decompressobj()  # RFC 1950 only: raw deflate and gzip are refused
    try:
        text = d.decompress(payload) + d.flush()
    except zlib.error as e:
        raise FrameError("payload is not a zlib stream: %s" % e)
    if not d.eof:
        raise FrameError("zlib stream is truncated")
    if d.unused_data:
        raise FrameError("%d bytes after the end of the zlib stream" % len(d.unused_data))
    try:
        s = text.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FrameError("JSON text is not valid UTF-8: %s" % e)
    try:
        obj = json.loads(s, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except ValueError as e:
        raise FrameError("not valid JSON (%s): %r" % (e, s[:200]))
    if not isinstance(obj, dict):
        raise FrameError("JSON is not an object: %r" % s[:200])
    if not isinstance(obj.get("name"), str):
        raise FrameError('no string "name" member: %r' % s[:200])
    where = _lone_surrogate(obj)
    if where:
        raise FrameError("lone surrogate (invalid Unicode) in %s" % where)
    return obj


class FrameReader:
    """Cuts a byte stream into frame payloads."""

    def __init__(self, limit=SITE_MAX_FRAME):
        self.limit = limit
        self.buf = bytearray()

    def feed(self, data):
        self.buf += data
        out = []
        while len(self.buf) >= 4:
            (n,) = struct.unpack("!I", self.buf[:4])
            if n > self.limit:
                raise FrameError("frame of %d bytes exceeds the %d-byte limit" % (n, self.limit))
            if len(self.buf) < 4 + n:
                break
            out.append(bytes(self.buf[4:4 + n]))
            del self.buf[:4 + n]
        return out

    @property
    def pending(self):
        return len(self.buf)


# ---------------------------------------------------------- type checking

def _is_int(v):
    return type(v) is int


def _is_number(v):
    return (type(v) is int or type(v) is float) and math.isfinite(v)


def _type_ok(v, kind):
    if kind == "int":
        return _is_int(v)
    if kind == "number":
        return _is_number(v)
    if kind == "str":
        return isinstance(v, str)
    if kind == "bool":
        return type(v) is bool
    raise ValueError(kind)


def problems_errors(problems, what="problems"):
    errs = []
    if not isinstance(problems, list):
        return ["%s is not a list: %r" % (what, problems)]
    seen = set()
    for i, entry in enumerate(problems):
        if not (isinstance(entry, list) and len(entry) == 2):
            errs.append("%s[%d] is not a [code, mtime] pair: %r" % (what, i, entry))
            continue
        code, mtime = entry
        if not isinstance(code, str) or not code:
            errs.append("%s[%d]: code is not a non-empty string: %r" % (what, i, code))
        if not _is_number(mtime) or mtime < 0:
            errs.append("%s[%d]: mtime is not a number of seconds: %r" % (what, i, mtime))
        if code in seen:
            errs.append("%s: problem %r listed twice" % (what, code))
        seen.add(code)
    return errs


def handshake_errors(pkt):
    """Everything wrong with a handshake packet, as a list of strings."""
    errs = []
    if pkt.get("name") != "handshake":
        return ["first packet is %r, not a handshake" % pkt.get("name")]
    errs += problems_errors(pkt.get("problems"))
    ex = pkt.get("executors")
    if not isinstance(ex, dict):
        errs.append("executors is not an object: %r" % (ex,))
    else:
        for lang, runtimes in ex.items():
            if not isinstance(runtimes, list) or not runtimes:
                errs.append("executors[%s] is not a non-empty list: %r" % (lang, runtimes))
                continue
            for rt in runtimes:
                if not (isinstance(rt, list) and len(rt) == 2 and isinstance(rt[0], str)
                        and rt[0] and isinstance(rt[1], list)
                        and all(_is_int(x) and x >= 0 for x in rt[1])):
                    errs.append("executors[%s]: %r is not [runtime_name, [version ints]]"
                                % (lang, rt))
    if not isinstance(pkt.get("id"), str) or not pkt.get("id"):
        errs.append("id is not a non-empty string: %r" % (pkt.get("id"),))
    if not isinstance(pkt.get("key"), str):
        errs.append("key is not a string")
    return errs


def case_errors(case, where="case"):
    errs = []
    if not isinstance(case, dict):
        return ["%s is not an object: %r" % (where, case)]
    for member, kind in CASE_REQUIRED.items():
        if member not in case:
            errs.append("%s: no %r member" % (where, member))
        elif not _type_ok(case[member], kind):
            errs.append("%s: %r is %r, not %s" % (where, member, case[member], kind))
    for member, kind in CASE_OPTIONAL.items():
        if member in case and not _type_ok(case[member], kind):
            errs.append("%s: %r is %r, not %s" % (where, member, case[member], kind))
    if errs:
        return errs
    if case["position"] < 1:
        errs.append("%s: position %d < 1" % (where, case["position"]))
    if case["status"] < 0 or case["status"] & ~KNOWN_STATUS_BITS:
        errs.append("%s: unknown status bits in %d" % (where, case["status"]))
    if case["time"] < 0 or case["memory"] < 0:
        errs.append("%s: negative time or memory" % where)
    if not (0 <= case["points"] <= case["total-points"] + 1e-9):
        errs.append("%s: points %r outside [0, total-points %r]"
                    % (where, case["points"], case["total-points"]))
    return errs


def packet_errors(pkt):
    """Member checks of one packet from the judge, by the contract's tables."""
    name = pkt["name"]
    errs = []

    def need(member, kind, nullable=False):
        if member not in pkt:
            errs.append("%s: no %r member" % (name, member))
        elif not (nullable and pkt[member] is None) and not _type_ok(pkt[member], kind):
            errs.append("%s: %r is %r, not %s" % (name, member, pkt[member], kind))

    if name not in JUDGE_PACKETS:
        return ["unknown packet name %r from the judge" % name]
    if name in SUBMISSION_PACKETS:
        need("submission-id", "int")
    if name == "handshake":
        errs += handshake_errors(pkt)
    elif name == "supported-problems":
        errs += problems_errors(pkt.get("problems"))
    elif name == "grading-begin":
        need("pretested", "bool")
    elif name in ("compile-error", "compile-message"):
        need("log", "str")
    elif name == "internal-error":
        need("message", "str")
    elif name == "test-case-status":
        cases = pkt.get("cases")
        if not isinstance(cases, list) or not cases:
            errs.append("test-case-status: cases is not a non-empty list: %r" % (cases,))
        else:
            for c in cases:
                errs += case_errors(c, "test-case-status case %r"
                                    % (c.get("position") if isinstance(c, dict) else c))
    elif name == "ping-response":
        if "when" not in pkt:  # an echo: whatever the ping held (a number from a site)
            errs.append("ping-response: no 'when' member")
        need("time", "number")
        need("load", "number")
        need("cpu-count", "int")
    elif name == "current-submission-id":
        need("submission-id", "int", nullable=True)
    return errs


# ---------------------------------------------------------- submissions

def main_code(status):
    """The code the site shows for a case."""
    for code, bit in DISPLAY_ORDER:
        if status & bit:
            return code
    return "AC"


def site_score(cases_with_batches):
    """(points, total) the way the site sums them: single cases add up; a
    batch scores min(points) out of max(total-points)."""
    points = total = 0.0
    batches = collections.OrderedDict()
    for batch, case in cases_with_batches:
        if batch is None:
            points += case["points"]
            total += case["total-points"]
        else:
            batches.setdefault(batch, []).append(case)
    for cases in batches.values():
        points += min(c["points"] for c in cases)
        total += max(c["total-points"] for c in cases)
    return points, total


def sequence_errors(packets):
    """Everything wrong with the order of one submission's packets (the
    contract's "Order of packets for one submission")."""
    errs = []
    if not packets:
        return ["no packets"]
    names = [p["name"] for p in packets]
    if names[0] != "submission-acknowledged":
        errs.append("first packet is %s, not submission-acknowledged" % names[0])
    if names.count("submission-acknowledged") > 1:
        errs.append("submission-acknowledged sent %d times" % names.count("submission-acknowledged"))
    state = "acked"  # acked -> (compile-message) -> grading -> done
    in_batch = False
    batch_cases = 0
    next_pos = 1
    for i, p in enumerate(packets):
        n = p["name"]
        if state == "done":
            errs.append("%s after the submission ended (packet %d)" % (n, i + 1))
            continue
        if n == "submission-acknowledged":
            continue
        if n == "compile-message":
            if state != "acked" or "compile-message" in names[:i]:
                errs.append("compile-message out of place (packet %d)" % (i + 1))
        elif n == "compile-error":
            if state != "acked":
                errs.append("compile-error after grading began (packet %d)" % (i + 1))
            state = "done"
        elif n == "grading-begin":
            if state != "acked":
                errs.append("grading-begin twice or out of place (packet %d)" % (i + 1))
            state = "grading"
        elif n in ("internal-error", "submission-terminated"):
            state = "done"
        elif n == "grading-end":
            if state != "grading":
                errs.append("grading-end without grading-begin")
            if in_batch:
                errs.append("grading-end inside a batch (no batch-end)")
            state = "done"
        elif n == "batch-begin":
            if state != "grading":
                errs.append("batch-begin outside grading (packet %d)" % (i + 1))
            if in_batch:
                errs.append("batch-begin inside a batch (packet %d)" % (i + 1))
            in_batch, batch_cases = True, 0
        elif n == "batch-end":
            if not in_batch:
                errs.append("batch-end without batch-begin (packet %d)" % (i + 1))
            elif batch_cases == 0:
                errs.append("empty batch (packet %d)" % (i + 1))
            in_batch = False
        elif n == "test-case-status":
            if state != "grading":
                errs.append("test-case-status outside grading (packet %d)" % (i + 1))
            for c in p.get("cases") or []:
                if isinstance(c, dict) and _is_int(c.get("position")):
                    if c["position"] != next_pos:
                        errs.append("case position %d where %d was expected"
                                    % (c["position"], next_pos))
                    next_pos = c["position"] + 1
                batch_cases += 1
        else:
            errs.append("%s is not a submission packet" % n)
    if state != "done":
        errs.append("submission did not end (last packet %s)" % names[-1])
    return errs


class Submission:
    """The packets of one submission as received, with the site's view."""

    def __init__(self, sub_id):
        self.id = sub_id
        self.timed = []  # (monotonic arrival time, packet)

    def add(self, t, pkt):
        self.timed.append((t, pkt))

    @property
    def packets(self):
        return [p for _, p in self.timed]

    @property
    def names(self):
        return [p["name"] for p in self.packets]

    def shape(self):
        """Names with runs of test-case-status folded into one 'test-case-status…'."""
        out = []
        for n in self.names:
            if n == "test-case-status" and out and out[-1] == "test-case-status…":
                continue
            out.append("test-case-status…" if n == "test-case-status" else n)
        return out

    @property
    def final(self):
        n = self.names[-1] if self.timed else None
        return n if n in FINAL_PACKETS else None

    def errors(self):
        errs = sequence_errors(self.packets)
        for p in self.packets:
            errs += packet_errors(p)
        return errs

    def cases_with_batches(self):
        """[(batch number or None, case)] as the site files them: a batch
        number counts batch-begin packets; cases between batch-begin and
        batch-end belong to it."""
        out = []
        batch = 0
        in_batch = False
        for p in self.packets:
            if p["name"] == "batch-begin":
                batch += 1
                in_batch = True
            elif p["name"] == "batch-end":
                in_batch = False
            elif p["name"] == "test-case-status":
                for c in p.get("cases") or []:
                    out.append((batch if in_batch else None, c))
        return out

    @property
    def cases(self):
        return [c for _, c in self.cases_with_batches()]

    @property
    def batches(self):
        return [b for b, _ in self.cases_with_batches()]

    @property
    def codes(self):
        return [main_code(c["status"]) for c in self.cases]

    def case_arrival(self, position):
        """Arrival time of the packet holding the case at position."""
        for t, p in self.timed:
            if p["name"] == "test-case-status":
                if any(c.get("position") == position for c in p.get("cases") or []):
                    return t
        return None

    def arrival(self, name):
        for t, p in self.timed:
            if p["name"] == name:
                return t
        return None

    def packet(self, name):
        for p in self.packets:
            if p["name"] == name:
                return p
        return None

    @property
    def score(self):
        return site_score(self.cases_with_batches())

    @property
    def points(self):
        return self.score[0]

    @property
    def total(self):
        return self.score[1]

    @property
    def result(self):
        """CE, IE, AB, or the site's verdict from the cases."""
        f = self.final
        if f == "compile-error":
            return "CE"
        if f == "internal-error":
            return "IE"
        if f == "submission-terminated":
            return "AB"
        if f is None:
            return None
        codes = self.codes
        if not codes:
            return "AC"
        return max(codes, key=VERDICT_ORDER.index)

    @property
    def pretested(self):
        p = self.packet("grading-begin")
        return p.get("pretested") if p else None

    @property
    def compile_log(self):
        p = self.packet("compile-error")
        return p.get("log") if p else None

    @property
    def compile_message(self):
        p = self.packet("compile-message")
        return p.get("log") if p else None

    @property
    def message(self):
        p = self.packet("internal-error")
        return p.get("message") if p else None

    def summary(self):
        lines = ["submission %s: %s" % (self.id, " ".join(self.shape()))]
        for b, c in self.cases_with_batches():
            lines.append("  #%s batch=%s status=%s(%s) points=%s/%s time=%s mem=%s fb=%r"
                         % (c.get("position"), b, c.get("status"), main_code(c.get("status", 0)),
                            c.get("points"), c.get("total-points"), c.get("time"),
                            c.get("memory"), c.get("feedback")))
        for name in ("compile-error", "compile-message"):
            p = self.packet(name)
            if p:
                lines.append("  %s: %s" % (name, str(p.get("log"))[:500]))
        if self.message is not None:
            lines.append("  internal-error: %s" % self.message[:500])
        return "\n".join(lines)

    __str__ = summary


# ---------------------------------------------------------- connections

def _describe(pkt, limit=300):
    if isinstance(pkt, (bytes, bytearray)):
        return "<%d raw bytes>" % len(pkt)
    shown = dict(pkt)
    if shown.get("name") == "handshake" and "key" in shown:
        shown["key"] = "***"
    s = json.dumps(shown, ensure_ascii=False)
    return s if len(s) <= limit else s[:limit] + "…(%d chars)" % len(s)


class JudgeConnection:
    """One judge connection, read by its own thread."""

    def __init__(self, bridge, sock, addr, cid, tls=False):
        self.bridge = bridge
        self.sock = sock
        self.addr = addr
        self.id = cid
        self.tls = tls
        self.connected_at = time.monotonic()
        self.handshake = None
        self.handshake_at = None
        self.accepted = False
        self.received = []  # (t, packet): everything received, in order
        self.sent = []  # (t, packet dict or raw bytes)
        self.violations = []
        self.bytes_received = 0
        self.closed_by = None
        self._inbox = collections.deque()
        self._cond = threading.Condition()
        self._closed = threading.Event()
        self._stop = False
        self._io = threading.Lock()  # TLS: one SSL call at a time
        self._send_lock = threading.Lock()
        self._reader = FrameReader(SITE_MAX_FRAME)
        self._last_when = 0.0
        self._wake_r, self._wake_w = os.pipe()  # wakes the reader's select on close()
        self._wake_lock = threading.Lock()
        self._wake_open = True
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name="judge-connection-%d" % cid)
        if tls:
            sock.settimeout(0.05)
        else:
            sock.settimeout(30)

    def __repr__(self):
        return "<JudgeConnection #%d %s%s>" % (self.id, "open" if self.is_open else "closed",
                                                " (closed by %s)" % self.closed_by
                                                if self.closed_by else "")

    # ----- reading

    def start(self):
        self._thread.start()
        return self

    def _recv_some(self):
        if self.tls:
            with self._io:
                pending = self.sock.pending()
            if not pending:
                r, _, _ = select.select([self.sock, self._wake_r], [], [], 0.5)
                if self.sock not in r:
                    return None
            with self._io:
                try:
                    return self.sock.recv(65536)
                except (socket.timeout, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                    return None
        r, _, _ = select.select([self.sock, self._wake_r], [], [], 0.5)
        if self.sock not in r:
            return None
        return self.sock.recv(65536)

    def _run(self):
        reason = None
        try:
            while not self._stop:
                data = self._recv_some()
                if data is None:
                    continue
                if not data:
                    reason = "judge"
                    break
                self.bytes_received += len(data)
                try:
                    payloads = self._reader.feed(data)
                except FrameError as e:
                    self._violation(str(e))
                    reason = "bridge (%s)" % e
                    break
                for payload in payloads:
                    if not self._handle(payload):
                        reason = "bridge (undecodable frame)"
                        break
                if reason:
                    break
        except ssl.SSLError as e:
            reason = "judge (TLS: %s)" % e
        except OSError as e:
            if not self._stop:
                reason = "judge (%s)" % e
        finally:
            if reason and not self._stop:
                # the judge closed, or the bridge refused a frame: either way
                # this side is done (close() handles bridge-initiated closes)
                self._close_socket(abort=False)
            if self._reader.pending and reason == "judge":
                self._violation("connection closed in the middle of a frame (%d bytes)"
                                % self._reader.pending)
            self._mark_closed(reason or "bridge")
            with self._wake_lock:
                self._wake_open = False
                os.close(self._wake_r)
                os.close(self._wake_w)

    def _handle(self, payload):
        t = time.monotonic()
        try:
            pkt = decode_payload(payload)
        except FrameError as e:
            self._violation(str(e))
            return False
        for err in packet_errors(pkt):
            self._violation(err)
        if pkt["name"] == "handshake" and self.received:
            self._violation("handshake sent again on the same connection")
        if not self.received and pkt["name"] != "handshake":
            self._violation("first packet is %s, not handshake" % pkt["name"])
        self.received.append((t, pkt))
        self.bridge._record(self, "recv", pkt)
        with self._cond:
            self._inbox.append((t, pkt))
            self._cond.notify_all()
        return True

    def _violation(self, text):
        msg = "connection #%d: %s" % (self.id, text)
        self.violations.append(msg)
        self.bridge._record(self, "violation", text)

    def _mark_closed(self, by):
        with self._cond:
            if self.closed_by is None:
                self.closed_by = by
            self._closed.set()
            self._cond.notify_all()
        self.bridge._record(self, "closed", by)

    @property
    def is_open(self):
        return not self._closed.is_set()

    def recv(self, match=None, timeout=30, name=None, with_time=False):
        """The first unclaimed packet that matches (a predicate on the packet
        and/or a name); waits up to timeout seconds. Unmatched packets stay
        for later calls. Raises BridgeTimeout, or ConnectionClosed when the
        connection closed with nothing matching left."""
        def ok(p):
            return (name is None or p.get("name") == name) and (match is None or match(p))
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for i, (t, p) in enumerate(self._inbox):
                    if ok(p):
                        del self._inbox[i]
                        return (t, p) if with_time else p
                if self._closed.is_set():
                    raise ConnectionClosed("%r: closed by %s while waiting for %s; unclaimed: %s"
                                           % (self, self.closed_by, name or "a packet",
                                              self._unclaimed_names()))
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise BridgeTimeout("%r: no %s within %.1f s; unclaimed: %s"
                                        % (self, name or "matching packet", timeout,
                                           self._unclaimed_names()))
                self._cond.wait(remaining)

    def _unclaimed_names(self):
        return [_describe(p, 120) for _, p in list(self._inbox)[:20]]

    def drain(self):
        """Removes and returns every unclaimed packet."""
        with self._cond:
            out = [p for _, p in self._inbox]
            self._inbox.clear()
            return out

    def expect_none(self, match=None, duration=2.0, name=None):
        """Waits duration seconds; returns (and claims) the packets that
        arrived matching (tests assert the list is empty)."""
        time.sleep(duration)
        out = []
        with self._cond:
            keep = collections.deque()
            for t, p in self._inbox:
                if (name is None or p.get("name") == name) and (match is None or match(p)):
                    out.append(p)
                else:
                    keep.append((t, p))
            self._inbox = keep
        return out

    def wait_closed(self, timeout=10):
        """True once the connection is closed (by either side)."""
        return self._closed.wait(timeout)

    # ----- handshake

    def recv_handshake(self, timeout=15):
        """Reads the first packet; records what is wrong with it as
        violations; returns it."""
        pkt = self.recv(timeout=timeout)
        self.handshake = pkt
        self.handshake_at = time.monotonic()
        if pkt.get("name") == "handshake" and self.handshake_at - self.connected_at > 15:
            self._violation("handshake came %.1f s after connecting (site allows 15 s)"
                            % (self.handshake_at - self.connected_at))
        return pkt

    def accept(self):
        self.send({"name": "handshake-success"})
        self.accepted = True

    def reject(self):
        """What a real site does on a wrong id or key: close, no reply."""
        self.close()

    # ----- writing

    def send_raw(self, data, chunk=None, delay=0.0):
        """Sends bytes as they are (optionally in pieces of chunk bytes with
        delay seconds between them). ConnectionClosed if that fails."""
        if self._closed.is_set():
            raise ConnectionClosed("%r: cannot send, closed by %s" % (self, self.closed_by))
        self.sent.append((time.monotonic(), bytes(data)))
        step = chunk or (16384 if self.tls else len(data) or 1)
        try:
            with self._send_lock:
                for i in range(0, len(data), step):
                    piece = data[i:i + step]
                    if self.tls:
                        with self._io:
                            self.sock.settimeout(30)
                            try:
                                self.sock.sendall(piece)
                            finally:
                                self.sock.settimeout(0.05)
                        time.sleep(0)
                    else:
                        self.sock.sendall(piece)
                    if delay and i + step < len(data):
                        time.sleep(delay)
        except (OSError, ValueError) as e:
            raise ConnectionClosed("%r: send failed: %s" % (self, e))

    def send(self, pkt, ensure_ascii=True, chunk=None, delay=0.0):
        """Sends a packet (dict), framed like the site frames it."""
        self.bridge._record(self, "send", pkt)
        self.send_raw(encode_frame(pkt, ensure_ascii=ensure_ascii), chunk=chunk, delay=delay)
        self.sent[-1] = (self.sent[-1][0], pkt)

    def submit(self, sub_id, problem, language, source, time_limit=2.0, memory_limit=262144,
               short_circuit=False, meta=None, pretests_only=False, **extra):
        """Sends a submission-request as DMOJ's site builds it."""
        pkt = {"name": "submission-request", "submission-id": sub_id, "problem-id": problem,
               "language": language, "source": source, "time-limit": float(time_limit),
               "memory-limit": int(memory_limit), "short-circuit": short_circuit,
               "meta": meta if meta is not None else {
                   "pretests-only": pretests_only, "in-contest": None, "attempt-no": 1,
                   "user": 1, "user-notes": ""}}
        pkt.update(extra)
        self.send(pkt)
        return pkt

    def terminate(self, sub_id=None):
        pkt = {"name": "terminate-submission"}
        if sub_id is not None:
            pkt["submission-id"] = sub_id
        self.send(pkt)

    def disconnect(self):
        self.send({"name": "disconnect"})

    def ping(self, timeout=10):
        """Sends a ping; returns (round-trip seconds, ping-response)."""
        when = time.time()
        if when <= self._last_when:
            when = self._last_when + 0.001
        self._last_when = when
        t0 = time.monotonic()
        self.send({"name": "ping", "when": when})
        t, p = self.recv(lambda p: _is_number(p.get("when")) and abs(p["when"] - when) < 1e-6,
                         name="ping-response", timeout=timeout, with_time=True)
        return t - t0, p

    def current_submission(self, timeout=10):
        """Asks get-current-submission; returns the submission-id answered."""
        self.send({"name": "get-current-submission"})
        return self.recv(name="current-submission-id", timeout=timeout)["submission-id"]

    def collect(self, sub_id, timeout=120):
        """Every packet of submission sub_id up to and including its final
        one (grading-end, compile-error, internal-error,
        submission-terminated). Packets of other kinds stay unclaimed."""
        sub = Submission(sub_id)
        deadline = time.monotonic() + timeout

        def mine(p):
            return (p.get("name") in SUBMISSION_PACKETS and _is_int(p.get("submission-id"))
                    and p["submission-id"] == sub_id)
        while True:
            try:
                t, p = self.recv(mine, timeout=max(0.0, deadline - time.monotonic()),
                                 with_time=True)
            except AssertionError as e:
                raise type(e)("%s\nso far: %s" % (e, sub.summary()))
            sub.add(t, p)
            if p["name"] in FINAL_PACKETS:
                return sub

    # ----- closing

    def _close_socket(self, abort):
        try:
            if abort:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass

    def close(self, abort=False):
        """Closes the connection (abort: with a TCP reset, like a killed
        process on a dying host)."""
        self._stop = True
        with self._wake_lock:
            if self._wake_open:
                os.write(self._wake_w, b"x")
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(5)
        self._close_socket(abort)
        self._mark_closed("bridge")


# ---------------------------------------------------------- the bridge

class FakeBridge:
    """A TCP (or TLS) server that judges connect to."""

    def __init__(self, key=None, name=None, host="127.0.0.1", port=0, certfile=None,
                 keyfile=None, extra_hosts=(), handshake_timeout=15.0, verbose=None):
        self.key = key  # None: any key is accepted
        self.name = name  # None: any judge name is accepted
        self.host = host
        self.port = port
        self.extra_hosts = tuple(extra_hosts)
        self.certfile, self.keyfile = certfile, keyfile
        self.handshake_timeout = handshake_timeout
        if verbose is None:
            verbose = bool(os.environ.get("FAKE_BRIDGE_VERBOSE"))
        self.verbose = verbose
        self.connections = []  # every connection that got past TLS
        self.attempts = []  # monotonic time of every TCP accept
        self.tls_failures = []  # (time, error text)
        self.sni_names = []
        self.rejected = []  # connections refused for their id or key
        self.log = []  # (time, connection id, kind, packet or text)
        self._violations = []
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._unclaimed = collections.deque()
        self._listeners = []
        self._stop = None
        self._thread = None
        self._ctx = None
        self._cid = 0
        if certfile:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(certfile, keyfile)
            ctx.sni_callback = self._sni
            self._ctx = ctx

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _sni(self, sslobj, server_name, ctx):
        self.sni_names.append(server_name)

    def _record(self, conn, kind, what):
        t = time.monotonic()
        with self._lock:
            self.log.append((t, conn.id if conn else None, kind, what))
        if self.verbose:
            arrow = {"recv": "<-", "send": "->"}.get(kind, "**")
            text = _describe(what) if isinstance(what, (dict, bytes, bytearray)) else what
            sys.stderr.write("[bridge %.3f] #%s %s %s\n" % (t, conn.id if conn else "-",
                                                            arrow, text))
            sys.stderr.flush()

    @property
    def tls(self):
        return self._ctx is not None

    @property
    def violations(self):
        out = list(self._violations)
        for c in list(self.connections):
            out += c.violations
        return out

    # ----- life cycle

    def start(self):
        """Starts listening (on the same port as before after a stop)."""
        listeners = []
        for i, host in enumerate((self.host,) + self.extra_hosts):
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            s = socket.socket(family, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((host, self.port))
            except OSError:
                s.close()
                if i == 0:
                    raise
                continue  # an extra address (e.g. ::1) this host lacks
            if self.port == 0:
                self.port = s.getsockname()[1]
            s.listen(16)
            listeners.append(s)
        self._listeners = listeners
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, args=(listeners, self._stop),
                                        daemon=True, name="bridge-accept")
        self._thread.start()
        return self

    def stop(self, abort=False):
        """Stops listening and closes every connection (abort: with TCP
        resets, as when the site's host dies)."""
        if self._stop is not None:
            self._stop.set()
            self._thread.join(5)
        for s in self._listeners:
            s.close()
        self._listeners = []
        with self._lock:
            conns = list(self.connections)
            self._unclaimed.clear()
        for c in conns:
            if c.is_open:
                c.close(abort=abort)

    def restart(self, delay=0.0, abort=False):
        self.stop(abort=abort)
        if delay:
            time.sleep(delay)
        return self.start()

    @property
    def address(self):
        return (self.host, self.port)

    def _accept_loop(self, listeners, stop):
        while not stop.is_set():
            try:
                r, _, _ = select.select(listeners, [], [], 0.1)
            except (OSError, ValueError):
                return
            for lst in r:
                try:
                    s, addr = lst.accept()
                except OSError:
                    continue
                self.attempts.append(time.monotonic())
                threading.Thread(target=self._setup, args=(s, addr, stop), daemon=True).start()

    def _setup(self, s, addr, stop):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._ctx is not None:
            s.settimeout(15)
            try:
                s = self._ctx.wrap_socket(s, server_side=True)
            except (ssl.SSLError, OSError) as e:
                self.tls_failures.append((time.monotonic(), str(e)))
                self._record(None, "tls-failure", str(e))
                try:
                    s.close()
                except OSError:
                    pass
                return
        with self._lock:
            self._cid += 1
            conn = JudgeConnection(self, s, addr, self._cid, tls=self._ctx is not None)
            if stop.is_set():
                conn._close_socket(abort=False)
                os.close(conn._wake_r)
                os.close(conn._wake_w)
                return
            self.connections.append(conn)
        self._record(conn, "connect", "%s:%s" % addr[:2])
        conn.start()
        with self._cond:
            self._unclaimed.append(conn)
            self._cond.notify_all()

    # ----- judges

    def wait_connection(self, timeout=30, alive=None):
        """The next connection not yet returned (its handshake unread).
        alive: optional callable polled twice a second; when it returns
        false (say, the judge process exited) waiting stops with an
        AssertionError."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._unclaimed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise BridgeTimeout(
                        "no judge connection within %.1f s (%d TCP connections so far, "
                        "%d TLS failures%s)" % (timeout, len(self.attempts), len(self.tls_failures),
                                                ": " + self.tls_failures[-1][1]
                                                if self.tls_failures else ""))
                if alive is not None and not alive():
                    raise AssertionError("the judge is gone: no connection will come")
                self._cond.wait(min(remaining, 0.5))
            return self._unclaimed.popleft()

    def check_handshake(self, hs):
        """True if a real site would accept this id and key."""
        return ((self.key is None or hs.get("key") == self.key)
                and (self.name is None or hs.get("id") == self.name))

    def accept_judge(self, timeout=60, alive=None):
        """Waits (up to timeout seconds for a connection) for a judge whose
        handshake is right, answers handshake-success and returns its
        connection. Connections with a wrong id or key are closed without a
        reply (and listed in rejected). Once connected, a judge gets the
        site's 15 s for its handshake whatever is left of timeout."""
        deadline = time.monotonic() + timeout
        while True:
            conn = self.wait_connection(max(0.0, deadline - time.monotonic()), alive=alive)
            try:
                hs = conn.recv_handshake(timeout=self.handshake_timeout)
            except ConnectionClosed:
                continue
            except BridgeTimeout:
                conn._violation("no handshake within %.0f s of connecting" % self.handshake_timeout)
                conn.close()
                continue
            if hs.get("name") == "handshake" and self.check_handshake(hs):
                conn.accept()
                return conn
            self.rejected.append((time.monotonic(), conn))
            conn.reject()


# ---------------------------------------------------------- command line

def _main(argv=None):
    ap = argparse.ArgumentParser(description="A fake DMOJ bridge: accepts judges and prints "
                                             "what they send.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9998)
    ap.add_argument("--key", help="judge key to accept (default: any)")
    ap.add_argument("--name", help="judge name to accept (default: any)")
    ap.add_argument("--cert", help="TLS certificate (PEM); enables TLS")
    ap.add_argument("--cert-key", help="TLS private key (PEM)")
    ap.add_argument("--submit", nargs=3, metavar=("PROBLEM", "LANG", "FILE"),
                    help="after each handshake, send this submission")
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument("--memory-limit", type=int, default=262144)
    ap.add_argument("--ping-interval", type=float, default=10.0)
    ap.add_argument("--full", action="store_true", help="print packets in full")
    args = ap.parse_args(argv)

    def show(prefix, pkt):
        print(prefix, json.dumps(dict(pkt, key="***") if pkt.get("name") == "handshake" else pkt,
                                 ensure_ascii=False) if args.full else _describe(pkt, 400),
              flush=True)

    bridge = FakeBridge(key=args.key, name=args.name, host=args.host, port=args.port,
                        certfile=args.cert, keyfile=args.cert_key or args.cert)
    bridge.start()
    print("fake bridge listening on %s:%d%s" % (args.host, bridge.port,
                                                 " (TLS)" if bridge.tls else ""), flush=True)
    sub_id = 0
    try:
        while True:
            try:
                conn = bridge.accept_judge(timeout=3600)
            except BridgeTimeout:
                continue
            show("judge #%d connected:" % conn.id, conn.handshake)
            if args.submit:
                problem, lang, path = args.submit
                with open(path, encoding="utf-8", errors="replace") as f:
                    source = f.read()
                sub_id += 1
                conn.submit(sub_id, problem, lang, source, args.time_limit, args.memory_limit)
                print("-> submission-request %d: %s %s %s" % (sub_id, problem, lang, path),
                      flush=True)
            last_ping = time.monotonic()
            while True:
                try:
                    pkt = conn.recv(timeout=max(0.1, last_ping + args.ping_interval
                                                - time.monotonic()))
                    show("<-", pkt)
                except BridgeTimeout:
                    last_ping = time.monotonic()
                    try:
                        conn.send({"name": "ping", "when": time.time()})
                    except ConnectionClosed:
                        pass
                except ConnectionClosed:
                    print("judge #%d disconnected (%s)" % (conn.id, conn.closed_by), flush=True)
                    break
            for v in conn.violations:
                print("VIOLATION:", v, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        bridge.stop()
    return 0


if __name__ == "__main__":
    sys.exit(_main())
