/*
 * Unit tests of the packet module: framing round trips, the 8 MiB write
 * guarantee with incompressible text, UTF-8 safety, the read limit (a huge
 * announced frame is refused before it is allocated), corrupt zlib,
 * non-JSON, and a peer that stops mid-frame. Real sockets: a TCP listener
 * on loopback that the module connects to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "packet/packet.h"

static void test_round_trip(void **state)
{
	json_t *p =
	    json_pack("{s:s, s:i, s:s}", "name", "ping-response", "x", 42, "text", "héllo ✓");
	struct strbuf f = STRBUF_INIT;
	char err[256];
	assert_int_equal(pkt_encode(p, PKT_MAX_SEND, &f, err, sizeof(err)), 0);
	const unsigned char *h = (const unsigned char *)f.buf;
	size_t n = (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3];
	assert_int_equal(n + 4, f.len);
	/* the payload is a zlib stream (RFC 1950): 0x78 header byte */
	assert_int_equal(h[4], 0x78);
	json_t *back;
	assert_int_equal(pkt_decode(f.buf + 4, n, 1 << 20, &back, err, sizeof(err)), 0);
	assert_true(json_equal(p, back));
	json_decref(back);
	json_decref(p);
	sb_free(&f);
}

/* Text that zlib cannot shrink. */
static char *random_text(size_t n)
{
	char *s = xmalloc(n + 1);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		s[i] = (char)(33 + (x >> 16) % 90);
	}
	s[n] = '\0';
	return s;
}

static void test_write_guarantee(void **state)
{
	char *big = random_text(12u << 20);
	json_t *p = json_pack("{s:s, s:I, s:[{s:i, s:s, s:s}]}", "name", "test-case-status",
			      "submission-id", (json_int_t)5, "cases", "position", 1, "output", big,
			      "feedback", "short");
	struct strbuf f = STRBUF_INIT;
	char err[256];
	assert_int_equal(pkt_encode(p, PKT_MAX_SEND, &f, err, sizeof(err)), 0);
	assert_true(f.len - 4 <= PKT_MAX_SEND);
	json_t *back;
	assert_int_equal(pkt_decode(f.buf + 4, f.len - 4, 64u << 20, &back, err, sizeof(err)), 0);
	json_t *c = json_array_get(json_object_get(back, "cases"), 0);
	const char *out = json_string_value(json_object_get(c, "output"));
	/* cut, marked, and what is left is the start of the original */
	assert_true(strlen(out) < (12u << 20));
	assert_non_null(strstr(out, "cut to fit"));
	assert_memory_equal(out, big, 1000);
	/* untouched members stay */
	assert_string_equal(json_string_value(json_object_get(c, "feedback")), "short");
	assert_int_equal(json_integer_value(json_object_get(back, "submission-id")), 5);
	json_decref(back);
	json_decref(p);
	sb_free(&f);
	free(big);
}

static void test_cut_keeps_utf8(void **state)
{
	/* multi-byte characters everywhere: any cut lands inside one */
	struct strbuf s = STRBUF_INIT;
	char *noise = random_text(3u << 20);
	for (size_t i = 0; i < (3u << 20); i += 3) {
		sb_adds(&s, "✓");
		sb_add(&s, noise + i, 1);
	}
	json_t *p = json_pack("{s:s, s:s}", "name", "compile-error", "log", s.buf);
	struct strbuf f = STRBUF_INIT;
	char err[256];
	assert_int_equal(pkt_encode(p, 1u << 20, &f, err, sizeof(err)), 0);
	assert_true(f.len - 4 <= (1u << 20));
	json_t *back;
	/* jansson refuses invalid UTF-8 when loading: decoding proves it */
	assert_int_equal(pkt_decode(f.buf + 4, f.len - 4, 64u << 20, &back, err, sizeof(err)), 0);
	json_decref(back);
	json_decref(p);
	sb_free(&f);
	sb_free(&s);
	free(noise);
}

/* A packet whose texts are too short to be cut fails to encode; before,
 * cutting a text of 58 to 80 bytes lengthened it and the encoder looped
 * for ever (the alarm fails the test then). */
static void test_cut_gives_up(void **state)
{
	char msg[71], log[91];
	memset(msg, 'x', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	memset(log, 'y', sizeof(log) - 1);
	log[sizeof(log) - 1] = '\0';
	json_t *p =
	    json_pack("{s:s, s:s, s:s}", "name", "internal-error", "message", msg, "log", log);
	struct strbuf f = STRBUF_INIT;
	char err[256];
	alarm(10);
	assert_int_equal(pkt_encode(p, 16, &f, err, sizeof(err)), -1);
	alarm(0);
	assert_non_null(strstr(err, "does not fit"));
	json_decref(p);
	sb_free(&f);
}

/* Cutting keeps what comes after a NUL byte of program output; before,
 * the cut text ended at the first NUL. */
static void test_cut_keeps_nul(void **state)
{
	char *noise = random_text(200000);
	noise[10] = '\0';
	json_t *p =
	    json_pack("{s:s, s:s%}", "name", "test-case-status", "output", noise, (size_t)200000);
	struct strbuf f = STRBUF_INIT;
	char err[256];
	assert_int_equal(pkt_encode(p, 120000, &f, err, sizeof(err)), 0);
	json_t *back;
	assert_int_equal(pkt_decode(f.buf + 4, f.len - 4, 1 << 20, &back, err, sizeof(err)), 0);
	size_t n = json_string_length(json_object_get(back, "output"));
	assert_true(n > 50000 && n < 200000);
	json_decref(back);
	json_decref(p);
	sb_free(&f);
	free(noise);
}

static void test_decode_errors(void **state)
{
	char err[256];
	json_t *j;
	assert_int_equal(pkt_decode("not zlib at all", 15, 1 << 20, &j, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "zlib"));
	unsigned char z[256];
	uLongf zl = sizeof(z);
	assert_int_equal(compress(z, &zl, (const Bytef *)"{\"name\": ", 9), Z_OK);
	assert_int_equal(pkt_decode(z, zl, 1 << 20, &j, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "JSON"));
	/* a zlib bomb is stopped at the bound */
	char *zeros = xcalloc(1, 4u << 20);
	zl = compressBound(4u << 20);
	unsigned char *zb = xmalloc(zl);
	assert_int_equal(compress(zb, &zl, (const Bytef *)zeros, 4u << 20), Z_OK);
	assert_int_equal(pkt_decode(zb, zl, 1 << 20, &j, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "inflates beyond"));
	free(zb);
	free(zeros);
	/* valid JSON without a name decodes; the caller ignores it */
	zl = sizeof(z);
	assert_int_equal(compress(z, &zl, (const Bytef *)"{\"x\": 1}", 8), Z_OK);
	assert_int_equal(pkt_decode(z, zl, 1 << 20, &j, err, sizeof(err)), 0);
	assert_null(json_object_get(j, "name"));
	json_decref(j);
}

/* Frames taken off a buffer: a whole one, one still missing bytes, and a
 * limit so large (max_packet_size may be any positive long) that 4 × it
 * wrapped around to 0 and refused every frame. */
static void test_take(void **state)
{
	json_t *a = json_pack("{s:s}", "name", "ping");
	struct strbuf f = STRBUF_INIT, in = STRBUF_INIT;
	char err[256];
	size_t missing;
	json_t *j;
	assert_int_equal(pkt_encode(a, PKT_MAX_SEND, &f, err, sizeof(err)), 0);
	sb_add(&in, f.buf, f.len - 1);
	assert_int_equal(pkt_take(&in, 1 << 20, &j, &missing, err, sizeof(err)), 0);
	assert_int_equal(missing, 1);
	sb_add(&in, f.buf + f.len - 1, 1);
	sb_add(&in, f.buf, 2);
	assert_int_equal(pkt_take(&in, (size_t)1 << 62, &j, &missing, err, sizeof(err)), 1);
	assert_true(json_equal(a, j));
	assert_int_equal(in.len, 2);
	json_decref(j);
	assert_int_equal(pkt_take(&in, 1 << 20, &j, &missing, err, sizeof(err)), 0);
	assert_int_equal(missing, 0);
	json_decref(a);
	sb_free(&f);
	sb_free(&in);
}

/* A loopback listener; the test plays the bridge on the accepted socket. */
static int listener(int *port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s, 1), 0);
	socklen_t l = sizeof(a);
	getsockname(s, (struct sockaddr *)&a, &l);
	*port = ntohs(a.sin_port);
	return s;
}

static struct pkt_conn *connect_to(int port, size_t max_frame)
{
	struct pkt_opts o = {
	    .host = "127.0.0.1", .port = port, .connect_timeout = 5, .max_frame = max_frame};
	struct pkt_conn *c;
	char err[256];
	if (pkt_connect(&o, &c, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return c;
}

/* Reads until a packet, an error or 5 s. */
static int read_wait(struct pkt_conn *c, json_t **out, char *err, size_t errlen)
{
	double until = mono_now() + 5;
	while (mono_now() < until) {
		int rc = pkt_read(c, out, err, errlen);
		if (rc)
			return rc;
		struct pollfd p = {pkt_fd(c), POLLIN, 0};
		poll(&p, 1, 100);
	}
	return 0;
}

static void test_socket_reads(void **state)
{
	int port, ls = listener(&port);
	struct pkt_conn *c = connect_to(port, 1 << 20);
	int peer = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	char err[256];
	json_t *j;

	/* two packets in one write, then one split across writes */
	json_t *a = json_pack("{s:s}", "name", "ping");
	struct strbuf f = STRBUF_INIT, g = STRBUF_INIT;
	pkt_encode(a, PKT_MAX_SEND, &f, err, sizeof(err));
	sb_add(&g, f.buf, f.len);
	sb_add(&g, f.buf, f.len);
	assert_int_equal(write(peer, g.buf, g.len), (ssize_t)g.len);
	assert_int_equal(read_wait(c, &j, err, sizeof(err)), 1);
	json_decref(j);
	assert_int_equal(read_wait(c, &j, err, sizeof(err)), 1);
	json_decref(j);
	assert_int_equal(write(peer, f.buf, 3), 3);
	assert_int_equal(pkt_read(c, &j, err, sizeof(err)), 0);
	usleep(20000);
	assert_int_equal(pkt_read(c, &j, err, sizeof(err)), 0);
	assert_int_equal(write(peer, f.buf + 3, f.len - 3), (ssize_t)(f.len - 3));
	assert_int_equal(read_wait(c, &j, err, sizeof(err)), 1);
	json_decref(j);

	/* sending reaches the peer as one frame */
	assert_int_equal(pkt_send(c, a, err, sizeof(err)), 0);
	char buf[256];
	ssize_t n = read(peer, buf, sizeof(buf));
	assert_int_equal(n, (ssize_t)f.len);
	assert_memory_equal(buf, f.buf, f.len);

	/* a frame announced over the limit ends the connection at once */
	unsigned char huge[4] = {0x7f, 0xff, 0xff, 0xff};
	assert_int_equal(write(peer, huge, 4), 4);
	assert_int_equal(read_wait(c, &j, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "limit"));
	pkt_close(c);
	close(peer);

	/* a peer that stops mid-frame: EOF is an error, not a hang */
	c = connect_to(port, 1 << 20);
	peer = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	assert_int_equal(write(peer, f.buf, f.len - 2), (ssize_t)(f.len - 2));
	close(peer);
	assert_int_equal(read_wait(c, &j, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "closed"));
	pkt_close(c);

	/* corrupt zlib in a well-formed frame */
	c = connect_to(port, 1 << 20);
	peer = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	unsigned char bad[] = {0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'};
	assert_int_equal(write(peer, bad, sizeof(bad)), (ssize_t)sizeof(bad));
	assert_int_equal(read_wait(c, &j, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "zlib"));
	pkt_close(c);
	close(peer);
	close(ls);
	json_decref(a);
	sb_free(&f);
	sb_free(&g);
}

static void test_connect_failures(void **state)
{
	int port, ls = listener(&port);
	close(ls); /* nobody listens there now */
	struct pkt_opts o = {
	    .host = "127.0.0.1", .port = port, .connect_timeout = 2, .max_frame = 1 << 20};
	struct pkt_conn *c;
	char err[256];
	assert_int_equal(pkt_connect(&o, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "127.0.0.1"));
	o.host = "no-such-host.invalid";
	assert_int_equal(pkt_connect(&o, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no-such-host.invalid"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_write_guarantee),
	    cmocka_unit_test(test_cut_keeps_utf8),
	    cmocka_unit_test(test_cut_gives_up),
	    cmocka_unit_test(test_cut_keeps_nul),
	    cmocka_unit_test(test_decode_errors),
	    cmocka_unit_test(test_take),
	    cmocka_unit_test(test_socket_reads),
	    cmocka_unit_test(test_connect_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
