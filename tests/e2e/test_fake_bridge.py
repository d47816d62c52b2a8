"""Self-test of the fake bridge (tests/bridge/fake_bridge.py) against a
minimal judge-side client written here independently, with its own framing,
so that the bridge the live-judge tests rely on is itself trusted.

Standard library only; needs no judge binary."""
import json
import math
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "bridge"))

import fake_bridge as fb  # noqa: E402

KEY = "self-test-key"


class MiniJudge:
    """The smallest possible judge-side peer: blocking socket, own framing."""

    def __init__(self, port, host="127.0.0.1", tls_context=None, server_hostname=None):
        s = socket.create_connection((host, port), timeout=10)
        if tls_context is not None:
            s = tls_context.wrap_socket(s, server_hostname=server_hostname or host)
        self.sock = s

    def send_bytes(self, data):
        self.sock.sendall(data)

    def send(self, obj):
        body = zlib.compress(json.dumps(obj).encode("utf-8"))
        self.sock.sendall(len(body).to_bytes(4, "big") + body)

    def _exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("closed after %d of %d bytes" % (len(buf), n))
            buf += chunk
        return buf

    def recv(self, timeout=10):
        self.sock.settimeout(timeout)
        n = int.from_bytes(self._exact(4), "big")
        return json.loads(zlib.decompress(self._exact(n)).decode("utf-8"))

    def at_eof(self, timeout=10):
        """True if the peer closed without sending anything more."""
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True

    def handshake(self, key=KEY, name="mini", problems=None, executors=None):
        self.send({"name": "handshake", "id": name, "key": key,
                   "problems": problems if problems is not None else [["aplusb", 1700000000.25]],
                   "executors": executors if executors is not None else
                   {"C": [["gcc", [12, 2, 0]]], "PY3": [["python3", [3, 11, 2]]]}})

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def case(pos, status=0, points=1.0, total=1.0):
    return {"position": pos, "status": status, "time": 0.01, "points": points,
            "total-points": total, "memory": 1024, "output": "3\n", "feedback": "",
            "extended-feedback": "", "voluntary-context-switches": 1,
            "involuntary-context-switches": 0, "runtime-version": ""}


class BridgeTest(unittest.TestCase):
    def setUp(self):
        self.bridge = fb.FakeBridge(key=KEY).start()
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.bridge.stop()

    def client(self, **kw):
        c = MiniJudge(self.bridge.port, **kw)
        self.clients.append(c)
        return c

    def online(self):
        """A mini judge that has handshaken; returns (client, connection)."""
        c = self.client()
        c.handshake()
        conn = self.bridge.accept_judge(timeout=10)
        self.assertEqual(c.recv(), {"name": "handshake-success"})
        return c, conn


class Framing(unittest.TestCase):
    def test_encode_matches_independent_decoder(self):
        pkt = {"name": "submission-request", "source": "int main() { /* é 😀 */ }",
               "time-limit": 1.5}
        for ascii_only in (True, False):
            frame = fb.encode_frame(pkt, ensure_ascii=ascii_only)
            (n,) = struct.unpack(">I", frame[:4])
            self.assertEqual(n, len(frame) - 4)
            self.assertEqual(frame[4] & 0x0F, 8, "zlib header: deflate method")
            self.assertEqual(json.loads(zlib.decompress(frame[4:])), pkt)

    def test_decoder_accepts_what_a_site_accepts(self):
        body = zlib.compress('{"name":"ping-response","when":1.5,"x":"é"}'.encode())
        self.assertEqual(fb.decode_payload(body)["x"], "é")

    def test_decoder_refuses_what_a_site_refuses(self):
        bad = {
            "raw deflate": zlib.compress(b'{"name":"x"}')[2:-4],
            "gzip": __import__("gzip").compress(b'{"name":"x"}'),
            "truncated zlib": zlib.compress(b'{"name":"x"}')[:-3],
            "trailing bytes": zlib.compress(b'{"name":"x"}') + b"junk",
            "invalid UTF-8": zlib.compress(b'{"name":"x","o":"\xff"}'),
            "not JSON": zlib.compress(b"hello"),
            "NaN": zlib.compress(b'{"name":"x","t":NaN}'),
            "duplicate key": zlib.compress(b'{"name":"x","name":"y"}'),
            "not an object": zlib.compress(b'["name"]'),
            "no name": zlib.compress(b'{"when":1}'),
            "name not a string": zlib.compress(b'{"name":5}'),
            "lone surrogate": zlib.compress(b'{"name":"x","o":"\\udc80"}'),
        }
        for what, payload in bad.items():
            with self.subTest(what):
                with self.assertRaises(fb.FrameError):
                    fb.decode_payload(payload)

    def test_frame_reader_reassembles_and_limits(self):
        frames = fb.encode_frame({"name": "a"}) + fb.encode_frame({"name": "b", "x": "y" * 1000})
        r = fb.FrameReader()
        got = []
        for i in range(len(frames)):
            got += r.feed(frames[i:i + 1])
        self.assertEqual([fb.decode_payload(p)["name"] for p in got], ["a", "b"])
        self.assertEqual(r.pending, 0)
        with self.assertRaises(fb.FrameError):
            fb.FrameReader().feed(struct.pack(">I", 8 * 1024 * 1024 + 1))
        self.assertEqual(fb.FrameReader().feed(struct.pack(">I", 8 * 1024 * 1024)), [])

    def test_codes_and_scores(self):
        self.assertEqual(fb.main_code(0), "AC")
        self.assertEqual(fb.main_code(4 | 16), "TLE")
        self.assertEqual(fb.main_code(1 | 32), "WA")
        self.assertEqual(fb.main_code(32), "SC")
        self.assertEqual(fb.main_code(2 | 1), "RTE")
        cases = [(None, case(1, 0, 5, 5)), (1, case(2, 0, 40, 40)), (1, case(3, 1, 0, 40)),
                 (2, case(4, 0, 50, 50))]
        self.assertEqual(fb.site_score(cases), (55, 95))

    def test_sequence_rules(self):
        ack = {"name": "submission-acknowledged", "submission-id": 1}
        gb = {"name": "grading-begin", "submission-id": 1, "pretested": False}
        bb = {"name": "batch-begin", "submission-id": 1}
        be = {"name": "batch-end", "submission-id": 1}
        ge = {"name": "grading-end", "submission-id": 1}

        def tcs(*ps):
            return {"name": "test-case-status", "submission-id": 1, "cases": [case(p) for p in ps]}
        self.assertEqual(fb.sequence_errors([ack, gb, tcs(1, 2), bb, tcs(3), be, ge]), [])
        self.assertEqual(fb.sequence_errors(
            [ack, {"name": "compile-error", "submission-id": 1, "log": "x"}]), [])
        bad = {
            "no ack": [gb, tcs(1), ge],
            "case before grading-begin": [ack, tcs(1), gb, ge],
            "grading-end in batch": [ack, gb, bb, tcs(1), ge],
            "gap in positions": [ack, gb, tcs(1, 3), ge],
            "packet after the end": [ack, gb, tcs(1), ge, tcs(2)],
            "never ends": [ack, gb, tcs(1)],
            "empty batch": [ack, gb, bb, be, ge],
            "compile-error after grading-begin": [ack, gb,
                                                  {"name": "compile-error", "submission-id": 1,
                                                   "log": ""}],
        }
        for what, pkts in bad.items():
            with self.subTest(what):
                self.assertNotEqual(fb.sequence_errors(pkts), [])

    def test_packet_member_checks(self):
        self.assertEqual(fb.packet_errors({"name": "ping-response", "when": 1.0, "time": 2.0,
                                           "load": 0.1, "cpu-count": 2}), [])
        self.assertNotEqual(fb.packet_errors({"name": "ping-response", "when": 1.0}), [])
        self.assertNotEqual(fb.packet_errors({"name": "grading-begin", "submission-id": 1}), [])
        self.assertNotEqual(fb.packet_errors({"name": "grading-end", "submission-id": "1"}), [])
        self.assertNotEqual(fb.packet_errors({"name": "grading-end", "submission-id": True}), [])
        self.assertNotEqual(fb.packet_errors({"name": "bogus"}), [])
        self.assertEqual(fb.packet_errors({"name": "current-submission-id",
                                           "submission-id": None}), [])
        bad_case = case(1)
        bad_case["time"] = "0.1"
        self.assertNotEqual(fb.packet_errors({"name": "test-case-status", "submission-id": 1,
                                              "cases": [bad_case]}), [])
        self.assertNotEqual(fb.handshake_errors({"name": "handshake", "id": "x", "key": "k",
                                                 "problems": [["a", "1"]], "executors": {}}), [])
        self.assertNotEqual(fb.handshake_errors({"name": "handshake", "id": "x", "key": "k",
                                                 "problems": [],
                                                 "executors": {"C": [["gcc", "12"]]}}), [])


class Connections(BridgeTest):
    def test_handshake_accepted(self):
        c, conn = self.online()
        self.assertEqual(conn.handshake["id"], "mini")
        self.assertEqual(conn.handshake["executors"]["C"], [["gcc", [12, 2, 0]]])
        self.assertTrue(conn.accepted)
        self.assertEqual(self.bridge.violations, [])

    def test_wrong_key_closed_without_reply(self):
        c = self.client()
        c.handshake(key="wrong")
        with self.assertRaises(fb.BridgeTimeout):
            self.bridge.accept_judge(timeout=1.5)
        self.assertTrue(c.at_eof(), "the bridge should close without a reply")
        self.assertEqual(len(self.bridge.rejected), 1)

    def test_bad_handshake_recorded(self):
        c = self.client()
        c.handshake(executors={"C": "gcc"})
        self.bridge.accept_judge(timeout=10)
        self.assertTrue(any("executors" in v for v in self.bridge.violations))

    def test_packet_before_handshake_recorded(self):
        c = self.client()
        c.send({"name": "ping-response", "when": 1.0, "time": 1.0, "load": 0.0, "cpu-count": 1})
        conn = self.bridge.wait_connection(10)
        conn.recv_handshake(timeout=10)
        self.assertTrue(any("not handshake" in v for v in self.bridge.violations))

    def test_ping_round_trip(self):
        c, conn = self.online()

        def answer():
            p = c.recv()
            c.send({"name": "ping-response", "when": p["when"], "time": time.time(),
                    "load": 0.5, "cpu-count": 2})
        t = threading.Thread(target=answer)
        t.start()
        rtt, resp = conn.ping(timeout=10)
        t.join()
        self.assertLess(rtt, 1.0)
        self.assertEqual(resp["cpu-count"], 2)
        self.assertEqual(self.bridge.violations, [])

    def test_requests_are_framed_like_the_site(self):
        c, conn = self.online()
        conn.submit(7, "aplusb", "C", "int main(){}", time_limit=1, memory_limit=65536)
        req = c.recv()
        self.assertEqual(req["name"], "submission-request")
        self.assertEqual(req["submission-id"], 7)
        self.assertIsInstance(req["time-limit"], float)
        self.assertIsInstance(req["memory-limit"], int)
        self.assertIn("pretests-only", req["meta"])
        conn.terminate()
        self.assertEqual(c.recv(), {"name": "terminate-submission"})
        conn.terminate(7)
        self.assertEqual(c.recv(), {"name": "terminate-submission", "submission-id": 7})
        conn.send({"name": "get-current-submission"})
        self.assertEqual(c.recv(), {"name": "get-current-submission"})
        conn.disconnect()
        self.assertEqual(c.recv(), {"name": "disconnect"})

    def test_collect_a_submission(self):
        c, conn = self.online()
        conn.submit(42, "aplusb", "C", "src")
        self.assertEqual(c.recv()["submission-id"], 42)
        sid = {"submission-id": 42}
        c.send(dict(sid, name="submission-acknowledged"))
        c.send({"name": "ping-response", "when": 1.0, "time": 1.0, "load": 0.0, "cpu-count": 1})
        c.send(dict(sid, name="grading-begin", pretested=False))
        c.send(dict(sid, name="test-case-status", cases=[case(1, 0, 5, 5), case(2, 1, 0, 5)]))
        c.send(dict(sid, name="batch-begin"))
        c.send(dict(sid, name="test-case-status", cases=[case(3, 0, 40, 40)]))
        c.send(dict(sid, name="test-case-status", cases=[case(4, 32, 0, 40)]))
        c.send(dict(sid, name="batch-end"))
        c.send(dict(sid, name="grading-end"))
        sub = conn.collect(42, timeout=10)
        self.assertEqual(sub.errors(), [])
        self.assertEqual(sub.shape(), ["submission-acknowledged", "grading-begin",
                                       "test-case-status…", "batch-begin", "test-case-status…",
                                       "batch-end", "grading-end"])
        self.assertEqual(sub.batches, [None, None, 1, 1])
        self.assertEqual(sub.codes, ["AC", "WA", "AC", "SC"])
        self.assertEqual(sub.score, (5, 50))
        self.assertEqual(sub.result, "WA")
        self.assertFalse(sub.pretested)
        self.assertIsNotNone(sub.case_arrival(3))
        # the unrelated packet stayed for whoever asks for it
        self.assertEqual(conn.recv(name="ping-response", timeout=1)["cpu-count"], 1)
        self.assertEqual(conn.expect_none(duration=0.2), [])

    def test_collect_reports_what_came_on_timeout(self):
        c, conn = self.online()
        c.send({"name": "submission-acknowledged", "submission-id": 5})
        with self.assertRaises(fb.BridgeTimeout) as cm:
            conn.collect(5, timeout=0.5)
        self.assertIn("submission-acknowledged", str(cm.exception))

    def test_frame_violations(self):
        cases = {
            "not zlib": struct.pack(">I", 4) + b"abcd",
            "invalid UTF-8": fb.frame_payload(zlib.compress(b'{"name":"x","o":"\xfe"}')),
            "no name": fb.encode_frame({"when": 1}),
            "unknown name": fb.encode_frame({"name": "frobnicate"}),
            "too big": struct.pack(">I", 8 * 1024 * 1024 + 1),
        }
        for what, data in cases.items():
            with self.subTest(what):
                c, conn = self.online()
                before = len(self.bridge.violations)
                c.send_bytes(data)
                deadline = time.monotonic() + 5
                while len(self.bridge.violations) == before and time.monotonic() < deadline:
                    time.sleep(0.02)
                self.assertGreater(len(self.bridge.violations), before, what)
                if what != "unknown name":
                    # the site drops a judge that sends an undecodable frame
                    self.assertTrue(conn.wait_closed(5))
                    self.assertTrue(conn.closed_by.startswith("bridge"), conn.closed_by)

    def test_eof_mid_frame_recorded(self):
        c, conn = self.online()
        c.send_bytes(fb.encode_frame({"name": "grading-end", "submission-id": 1})[:7])
        c.close()
        self.assertTrue(conn.wait_closed(5))
        self.assertEqual(conn.closed_by, "judge")
        self.assertTrue(any("middle of a frame" in v for v in conn.violations))

    def test_judge_close_is_seen(self):
        c, conn = self.online()
        c.close()
        self.assertTrue(conn.wait_closed(5))
        self.assertEqual(conn.closed_by, "judge")
        with self.assertRaises(fb.ConnectionClosed):
            conn.recv(timeout=1)
        with self.assertRaises(fb.ConnectionClosed):
            time.sleep(0.2)
            for _ in range(20):  # the first writes may still land in the kernel buffer
                conn.send({"name": "ping", "when": 1.0})
                time.sleep(0.05)

    def test_split_and_coalesced_writes(self):
        c, conn = self.online()
        conn.send({"name": "ping", "when": 1.25}, chunk=1, delay=0.001)
        self.assertEqual(c.recv(), {"name": "ping", "when": 1.25})
        conn.send_raw(fb.encode_frame({"name": "a"}) + fb.encode_frame({"name": "b"}))
        self.assertEqual(c.recv()["name"], "a")
        self.assertEqual(c.recv()["name"], "b")
        conn.send_raw(b"\x00\x00\x00\x05hello")
        c.sock.settimeout(5)
        self.assertEqual(c._exact(9), b"\x00\x00\x00\x05hello")

    def test_big_frame_both_ways(self):
        c, conn = self.online()
        blob = os.urandom(3 << 20).hex()  # ~6 MiB of text, ~3 MiB compressed
        conn.send({"name": "submission-request", "submission-id": 1, "source": blob})
        self.assertEqual(c.recv(timeout=30)["source"], blob)
        c.send({"name": "compile-message", "submission-id": 1, "log": blob})
        self.assertEqual(conn.recv(name="compile-message", timeout=30)["log"], blob)
        self.assertEqual(self.bridge.violations, [])

    def test_restart_on_the_same_port(self):
        c, conn = self.online()
        port = self.bridge.port
        self.bridge.restart()
        self.assertEqual(self.bridge.port, port)
        self.assertTrue(c.at_eof(), "connections close on stop")
        c2, conn2 = self.online()
        self.assertIsNot(conn2, conn)
        self.assertEqual(len(self.bridge.connections), 2)

    def test_abort_resets_connections(self):
        c, conn = self.online()
        self.bridge.stop(abort=True)
        c.sock.settimeout(5)
        with self.assertRaises(ConnectionResetError):
            c.sock.recv(1)
        with self.assertRaises(OSError):
            MiniJudge(self.bridge.port)
        self.bridge.start()
        self.online()

    def test_connections_while_stopped_are_refused(self):
        port = self.bridge.port
        self.bridge.stop()
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2)
        self.bridge.start()
        self.online()


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True)


@unittest.skipUnless(shutil.which("openssl"), "no openssl command")
class Tls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="fake-bridge-tls-")
        d = cls.dir
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=localhost", cwd=d)
        with open(os.path.join(d, "ext.cnf"), "w") as f:
            f.write("subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n")
        openssl("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "srv.pem", "-days", "2", "-extfile", "ext.cnf", cwd=d)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_tls_round_trip_and_sni(self):
        d = self.dir
        with fb.FakeBridge(key=KEY, certfile=os.path.join(d, "srv.pem"),
                           keyfile=os.path.join(d, "srv.key")) as bridge:
            ctx = ssl.create_default_context(cafile=os.path.join(d, "ca.pem"))
            c = MiniJudge(bridge.port, tls_context=ctx, server_hostname="localhost")
            try:
                c.handshake()
                conn = bridge.accept_judge(timeout=10)
                self.assertEqual(c.recv(), {"name": "handshake-success"})
                self.assertEqual(bridge.sni_names, ["localhost"])
                blob = os.urandom(200000).hex()

                def echo():
                    p = c.recv(timeout=20)
                    c.send({"name": "compile-message", "submission-id": 1, "log": p["source"]})
                t = threading.Thread(target=echo)
                t.start()
                conn.send({"name": "submission-request", "submission-id": 1, "source": blob})
                self.assertEqual(conn.recv(name="compile-message", timeout=20)["log"], blob)
                t.join()
                self.assertEqual(bridge.violations, [])
            finally:
                c.close()

    def test_untrusting_client_is_a_tls_failure(self):
        d = self.dir
        with fb.FakeBridge(key=KEY, certfile=os.path.join(d, "srv.pem"),
                           keyfile=os.path.join(d, "srv.key")) as bridge:
            ctx = ssl.create_default_context()  # system store: does not know our CA
            with self.assertRaises(ssl.SSLError):
                MiniJudge(bridge.port, tls_context=ctx, server_hostname="localhost")
            deadline = time.monotonic() + 5
            while not bridge.tls_failures and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertEqual(len(bridge.tls_failures), 1)
            self.assertEqual(bridge.connections, [])
            with self.assertRaises(fb.BridgeTimeout):
                bridge.wait_connection(0.5)


class CommandLine(unittest.TestCase):
    def test_prints_what_a_judge_sends(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        p = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(HERE), "bridge",
                                                           "fake_bridge.py"),
                              "--port", str(port), "--key", KEY, "--ping-interval", "0.3"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            first = p.stdout.readline()
            self.assertIn("listening on 127.0.0.1:%d" % port, first)
            c = MiniJudge(port)
            c.handshake()
            self.assertEqual(c.recv(), {"name": "handshake-success"})
            ping = c.recv(timeout=10)
            self.assertEqual(ping["name"], "ping")
            c.send({"name": "ping-response", "when": ping["when"], "time": time.time(),
                    "load": 0.0, "cpu-count": 1})
            c.close()
            lines = [p.stdout.readline() for _ in range(3)]
            text = "".join(lines)
            self.assertIn("handshake", lines[0])
            self.assertNotIn(KEY, text, "the key is masked")
            self.assertIn("ping-response", text)
        finally:
            p.terminate()
            p.wait(10)
            p.stdout.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
