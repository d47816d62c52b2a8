/*
 * packet: the judge's side of the DMOJ bridge protocol's transport.
 *
 * - framing: a 4-byte big-endian length, then a zlib stream (RFC 1950) of
 *   one UTF-8 JSON object with a string "name";
 * - encoding never produces a frame the site would refuse (over 8 MiB):
 *   the long text members (output, feedback, extended-feedback, log,
 *   message) are cut until it fits;
 * - decoding refuses a frame longer than a limit before allocating it, and
 *   a stream that inflates beyond a bound;
 * - a connection over TCP or TLS (OpenSSL, with certificate and host-name
 *   verification) that is non-blocking once established: reads return
 *   whole packets as they complete, writes are queued and flushed when the
 *   socket can take them, so the caller's event loop never blocks.
 */
#ifndef JUDGE_PACKET_H
#define JUDGE_PACKET_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/common.h"

/* The largest frame a DMOJ site accepts. */
#define PKT_MAX_SEND ((size_t)8 << 20)

/* Encodes obj as one frame (header included) into out, cutting long text
 * members so that the frame fits in max_frame bytes. obj may be modified
 * (its long strings shortened). Returns 0 or -1 with err filled. */
int pkt_encode(json_t *obj, size_t max_frame, struct strbuf *out, char *err, size_t errlen);
/* Decodes one frame's payload (without the header) into a JSON value; the
 * caller checks that it is an object with a string "name". max_json
 * bounds the inflated size. */
int pkt_decode(const void *data, size_t len, size_t max_json, json_t **out, char *err,
	       size_t errlen);
/* Takes the first frame off the front of in, the bytes received so far:
 * 1 with *out set when a whole frame was there; 0 when in holds no whole
 * frame yet, with *missing the bytes the frame still lacks (0 while its
 * header is incomplete); -1 with err when the header announces more than
 * max_frame bytes or the frame does not decode (inflating it is bounded
 * by 4 × max_frame). A decoded frame's bytes are removed from in. */
int pkt_take(struct strbuf *in, size_t max_frame, json_t **out, size_t *missing, char *err,
	     size_t errlen);

struct pkt_opts {
	const char *host;
	int port;
	bool tls;
	bool verify;	     /* check the certificate and the host name */
	const char *ca_file; /* NULL: the system's trust store */
	double connect_timeout;
	size_t max_frame; /* largest frame accepted from the peer */
};

struct pkt_conn;

/* Connects (TCP, keep-alive, no Nagle; then TLS when asked), waiting at most
 * connect_timeout. Returns 0 or -1 with err filled. */
int pkt_connect(const struct pkt_opts *o, struct pkt_conn **out, char *err, size_t errlen);
int pkt_fd(const struct pkt_conn *c);
/* Reads what is available. Returns 1 and sets *out for each complete
 * packet, 0 when the socket has nothing more for now, -1 when the
 * connection is unusable (closed, reset, undecodable frame) with err. */
int pkt_read(struct pkt_conn *c, json_t **out, char *err, size_t errlen);
/* Queues a packet and tries to send it at once. -1: the connection is
 * unusable. */
int pkt_send(struct pkt_conn *c, json_t *obj, char *err, size_t errlen);
/* Sends what is queued, as far as the socket takes it. */
int pkt_flush(struct pkt_conn *c, char *err, size_t errlen);
/* True when queued bytes wait for the socket to become writable. */
bool pkt_want_write(const struct pkt_conn *c);
/* True when a read is needed even without the socket being readable (TLS
 * holds decrypted bytes). */
bool pkt_pending(const struct pkt_conn *c);
void pkt_close(struct pkt_conn *c);

#endif
