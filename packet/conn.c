/*
 * The connection to the bridge: TCP with a connect timeout, keep-alive and
 * no Nagle delay (pings are answered one small packet at a time), then
 * TLS through OpenSSL when asked, verifying the certificate chain against
 * the system store or a given CA file and the certificate's host name.
 *
 * Once established the socket is non-blocking. Outgoing frames go to a
 * queue that pkt_flush drains as the socket accepts bytes; incoming bytes
 * accumulate until a frame is complete. A frame header announcing more
 * than max_frame bytes ends the connection before anything is allocated.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "packet/packet.h"

struct pkt_conn {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	struct strbuf in;  /* bytes of the frame being read */
	struct strbuf out; /* frames waiting to be written */
	size_t out_off;
	size_t max_frame;
};

static const char *ssl_error_text(void)
{
	static char buf[256];
	unsigned long e = ERR_get_error();
	if (!e)
		return "no further detail";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

static int wait_fd(int fd, short events, double timeout, const char *what, const char *host,
		   char *err, size_t errlen)
{
	double deadline = mono_now() + timeout;
	for (;;) {
		double left = deadline - mono_now();
		if (left <= 0)
			return errf(err, errlen, "%s %s: timed out after %g s", what, host,
				    timeout);
		struct pollfd p = {fd, events, 0};
		int r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return errf(err, errlen, "%s %s: poll: %s", what, host, strerror(errno));
	}
}

static int tcp_connect(const struct pkt_opts *o, char *err, size_t errlen)
{
	struct addrinfo hints = {0}, *res = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	char port[16];
	snprintf(port, sizeof(port), "%d", o->port);
	int gai = getaddrinfo(o->host, port, &hints, &res);
	if (gai)
		return errf(err, errlen, "cannot resolve %s: %s", o->host, gai_strerror(gai));
	int fd = -1;
	char last[256] = "no address";
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    a->ai_protocol);
		if (fd < 0) {
			snprintf(last, sizeof(last), "socket: %s", strerror(errno));
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS &&
		    wait_fd(fd, POLLOUT, o->connect_timeout, "connecting to", o->host, last,
			    sizeof(last)) == 0) {
			int soerr = 0;
			socklen_t sl = sizeof(soerr);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
				break;
			snprintf(last, sizeof(last), "%s", strerror(soerr ? soerr : errno));
		} else if (errno != EINPROGRESS) {
			snprintf(last, sizeof(last), "%s", strerror(errno));
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return errf(err, errlen, "cannot connect to %s port %d: %s", o->host, o->port,
			    last);
	int one = 1, idle = 30, intvl = 10, cnt = 6;
	/* keep-alive finds a bridge that vanished without closing; no Nagle
	 * so a ping's answer leaves at once */
	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0) {
		close(fd);
		return errf(err, errlen, "setsockopt on the connection to %s: %s", o->host,
			    strerror(errno));
	}
	return fd;
}

static int tls_start(struct pkt_conn *c, const struct pkt_opts *o, char *err, size_t errlen)
{
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (!c->ctx)
		return errf(err, errlen, "TLS: cannot create a context: %s", ssl_error_text());
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
	if (o->verify) {
		int ok = o->ca_file ? SSL_CTX_load_verify_locations(c->ctx, o->ca_file, NULL)
				    : SSL_CTX_set_default_verify_paths(c->ctx);
		if (ok != 1)
			return errf(err, errlen, "TLS: cannot load trusted certificates%s%s: %s",
				    o->ca_file ? " from " : "", o->ca_file ? o->ca_file : "",
				    ssl_error_text());
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	} else {
		SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
	}
	c->ssl = SSL_new(c->ctx);
	if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1)
		return errf(err, errlen, "TLS: cannot create a session: %s", ssl_error_text());
	SSL_set_mode(c->ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_set_tlsext_host_name(c->ssl, o->host);
	if (o->verify && SSL_set1_host(c->ssl, o->host) != 1)
		return errf(err, errlen, "TLS: cannot set the expected host name %s", o->host);
	double deadline = mono_now() + o->connect_timeout;
	for (;;) {
		int r = SSL_connect(c->ssl);
		if (r == 1)
			return 0;
		int e = SSL_get_error(c->ssl, r);
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
			long v = SSL_get_verify_result(c->ssl);
			if (v != X509_V_OK)
				return errf(err, errlen, "TLS: certificate of %s refused: %s",
					    o->host, X509_verify_cert_error_string(v));
			return errf(err, errlen, "TLS handshake with %s failed: %s", o->host,
				    ssl_error_text());
		}
		double left = deadline - mono_now();
		if (wait_fd(c->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, left > 0 ? left : 0,
			    "TLS handshake with", o->host, err, errlen) < 0)
			return -1;
	}
}

int pkt_connect(const struct pkt_opts *o, struct pkt_conn **out, char *err, size_t errlen)
{
	*out = NULL;
	int fd = tcp_connect(o, err, errlen);
	if (fd < 0)
		return -1;
	struct pkt_conn *c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->max_frame = o->max_frame;
	if (o->tls && tls_start(c, o, err, errlen) < 0) {
		pkt_close(c);
		return -1;
	}
	*out = c;
	return 0;
}

int pkt_fd(const struct pkt_conn *c)
{
	return c->fd;
}

/* Reads up to n bytes: >0 bytes, 0 nothing for now, -1 error or EOF. */
static ssize_t raw_read(struct pkt_conn *c, void *buf, size_t n, char *err, size_t errlen)
{
	if (c->ssl) {
		ERR_clear_error();
		int r = SSL_read(c->ssl, buf, (int)n);
		if (r > 0)
			return r;
		int e = SSL_get_error(c->ssl, r);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
			return 0;
		if (e == SSL_ERROR_ZERO_RETURN)
			return errf(err, errlen, "the bridge closed the connection");
		return errf(err, errlen, "TLS read failed: %s",
			    e == SSL_ERROR_SYSCALL ? strerror(errno ? errno : ECONNRESET)
						   : ssl_error_text());
	}
	for (;;) {
		ssize_t r = read(c->fd, buf, n);
		if (r > 0)
			return r;
		if (r == 0)
			return errf(err, errlen, "the bridge closed the connection");
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return errf(err, errlen, "read from the bridge: %s", strerror(errno));
	}
}

int pkt_read(struct pkt_conn *c, json_t **out, char *err, size_t errlen)
{
	for (;;) {
		size_t missing;
		int rc = pkt_take(&c->in, c->max_frame, out, &missing, err, errlen);
		if (rc)
			return rc;
		/* read no more than the current frame needs, so a huge frame
		 * is never buffered beyond its announced size */
		size_t want = 65536;
		if (missing && missing < want)
			want = missing;
		char buf[65536];
		ssize_t r = raw_read(c, buf, want, err, errlen);
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		sb_add(&c->in, buf, (size_t)r);
	}
}

int pkt_flush(struct pkt_conn *c, char *err, size_t errlen)
{
	while (c->out_off < c->out.len) {
		size_t n = c->out.len - c->out_off;
		const char *p = c->out.buf + c->out_off;
		ssize_t w;
		if (c->ssl) {
			ERR_clear_error();
			int r = SSL_write(c->ssl, p, n > (1u << 30) ? (1 << 30) : (int)n);
			if (r <= 0) {
				int e = SSL_get_error(c->ssl, r);
				if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ)
					return 0;
				return errf(err, errlen, "TLS write failed: %s",
					    e == SSL_ERROR_SYSCALL ? strerror(errno ? errno : EPIPE)
								   : ssl_error_text());
			}
			w = r;
		} else {
			w = send(c->fd, p, n, MSG_NOSIGNAL);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN || errno == EWOULDBLOCK)
					return 0;
				return errf(err, errlen, "write to the bridge: %s",
					    strerror(errno));
			}
		}
		c->out_off += (size_t)w;
	}
	sb_reset(&c->out);
	c->out_off = 0;
	return 0;
}

int pkt_send(struct pkt_conn *c, json_t *obj, char *err, size_t errlen)
{
	struct strbuf frame = STRBUF_INIT;
	int rc = pkt_encode(obj, PKT_MAX_SEND, &frame, err, errlen);
	if (rc == 0) {
		sb_add(&c->out, frame.buf, frame.len);
		rc = pkt_flush(c, err, errlen);
	}
	sb_free(&frame);
	return rc;
}

bool pkt_want_write(const struct pkt_conn *c)
{
	return c->out_off < c->out.len;
}

bool pkt_pending(const struct pkt_conn *c)
{
	return c->ssl && SSL_pending(c->ssl) > 0;
}

void pkt_close(struct pkt_conn *c)
{
	if (!c)
		return;
	if (c->ssl) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
	}
	if (c->ctx)
		SSL_CTX_free(c->ctx);
	if (c->fd >= 0)
		close(c->fd);
	sb_free(&c->in);
	sb_free(&c->out);
	free(c);
}
