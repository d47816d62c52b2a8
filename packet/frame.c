/*
 * Frames: zlib-compressed JSON behind a 4-byte big-endian length.
 *
 * The site drops the connection on a frame over 8 MiB, which would fail
 * the submission being reported; a program's output, a checker's
 * feedback or a compiler log can be arbitrarily large. So encoding cuts
 * the longest of those text members in half (on a UTF-8 character
 * boundary, with a note) until the frame fits, rather than sending
 * something the site refuses.
 *
 * Taking frames off the bytes received so far is here too, apart from the
 * socket, so that it can be tested (and fuzzed) on plain buffers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "packet/packet.h"

static const char *const cuttable[] = {"output", "feedback", "extended-feedback", "log", "message"};
static const char cut_note[] = "\n[cut to fit the protocol's packet size]";

static bool is_cuttable(const char *key)
{
	for (size_t i = 0; i < ARRAY_LEN(cuttable); i++)
		if (!strcmp(key, cuttable[i]))
			return true;
	return false;
}

/* The longest cuttable string member anywhere in v. */
static void longest(json_t *v, json_t **owner, const char **key, size_t *len)
{
	if (json_is_object(v)) {
		const char *k;
		json_t *m;
		json_object_foreach (v, k, m) {
			if (json_is_string(m) && is_cuttable(k) && json_string_length(m) > *len) {
				*owner = v;
				*key = k;
				*len = json_string_length(m);
			} else if (json_is_object(m) || json_is_array(m)) {
				longest(m, owner, key, len);
			}
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *m;
		json_array_foreach (v, i, m)
			longest(m, owner, key, len);
	}
}

static bool cut_longest(json_t *obj)
{
	json_t *owner = NULL;
	const char *key = NULL;
	size_t len = 0;
	longest(obj, &owner, &key, &len);
	if (!owner)
		return false;
	const char *s = json_string_value(json_object_get(owner, key));
	size_t keep = len / 2;
	/* do not split a UTF-8 sequence */
	while (keep && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--;
	/* a text so short that the note would not make it shorter is not
	 * worth cutting, and cutting it again and again would never end */
	if (keep + sizeof(cut_note) - 1 >= len)
		return false;
	char *text = xmalloc(keep + sizeof(cut_note));
	memcpy(text, s, keep);
	memcpy(text + keep, cut_note, sizeof(cut_note));
	/* by length: program output may hold NUL bytes */
	json_object_set_new(owner, key, json_stringn(text, keep + sizeof(cut_note) - 1));
	free(text);
	return true;
}

static int compress_frame(const char *text, size_t n, struct strbuf *out, char *err, size_t errlen)
{
	uLongf clen = compressBound((uLong)n);
	sb_reset(out);
	sb_add(out, "\0\0\0\0", 4);
	size_t base = out->len;
	/* reserve room, then write into it */
	char *tmp = xmalloc(clen ? clen : 1);
	int zr = compress2((Bytef *)tmp, &clen, (const Bytef *)text, (uLong)n, 6);
	if (zr != Z_OK) {
		free(tmp);
		return errf(err, errlen, "zlib compress failed (%d)", zr);
	}
	sb_add(out, tmp, clen);
	free(tmp);
	unsigned char *h = (unsigned char *)out->buf + base - 4;
	h[0] = (unsigned char)(clen >> 24);
	h[1] = (unsigned char)(clen >> 16);
	h[2] = (unsigned char)(clen >> 8);
	h[3] = (unsigned char)clen;
	return 0;
}

int pkt_encode(json_t *obj, size_t max_frame, struct strbuf *out, char *err, size_t errlen)
{
	for (;;) {
		char *text = json_dumps(obj, JSON_COMPACT);
		if (!text)
			return errf(err, errlen, "cannot serialise a packet to JSON");
		int rc = compress_frame(text, strlen(text), out, err, errlen);
		free(text);
		if (rc < 0)
			return -1;
		if (out->len - 4 <= max_frame)
			return 0;
		if (!cut_longest(obj)) {
			const char *name = json_string_value(json_object_get(obj, "name"));
			return errf(err, errlen,
				    "packet %s does not fit in %zu bytes even with its texts cut",
				    name ? name : "?", max_frame);
		}
	}
}

int pkt_decode(const void *data, size_t len, size_t max_json, json_t **out, char *err,
	       size_t errlen)
{
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	*out = NULL;
	if (inflateInit(&zs) != Z_OK)
		return errf(err, errlen, "zlib inflateInit failed");
	struct strbuf text = STRBUF_INIT;
	char buf[65536];
	int ret = -1, zr;
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	do {
		zs.next_out = (Bytef *)buf;
		zs.avail_out = sizeof(buf);
		zr = inflate(&zs, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			errf(err, errlen, "bad zlib data in a %zu-byte frame: %s", len,
			     zs.msg ? zs.msg : "corrupt stream");
			goto out;
		}
		sb_add(&text, buf, sizeof(buf) - zs.avail_out);
		if (text.len > max_json) {
			errf(err, errlen, "a %zu-byte frame inflates beyond %zu bytes", len,
			     max_json);
			goto out;
		}
		if (zr == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
			errf(err, errlen, "truncated zlib data in a %zu-byte frame", len);
			goto out;
		}
	} while (zr != Z_STREAM_END);
	json_error_t je;
	json_t *j = json_loadb(text.buf ? text.buf : "", text.len, JSON_ALLOW_NUL, &je);
	if (!j) {
		errf(err, errlen, "a packet is not JSON: %s (line %d)", je.text, je.line);
		goto out;
	}
	/* a well-framed JSON value without a proper "name" is the caller's
	 * to log and ignore: the stream itself is intact */
	*out = j;
	ret = 0;
out:
	inflateEnd(&zs);
	sb_free(&text);
	return ret;
}

int pkt_take(struct strbuf *in, size_t max_frame, json_t **out, size_t *missing, char *err,
	     size_t errlen)
{
	*out = NULL;
	*missing = 0;
	if (in->len < 4)
		return 0;
	const unsigned char *h = (const unsigned char *)in->buf;
	size_t n = (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3];
	/* refused before the body is read: nothing is allocated for it */
	if (n > max_frame)
		return errf(err, errlen, "the bridge announced a %zu-byte frame; the limit is %zu",
			    n, max_frame);
	if (in->len < 4 + n) {
		*missing = 4 + n - in->len;
		return 0;
	}
	/* max_packet_size may be any positive long: 4 × it must not wrap */
	size_t max_json = max_frame > SIZE_MAX / 4 ? SIZE_MAX : max_frame * 4;
	int rc = pkt_decode(in->buf + 4, n, max_json, out, err, errlen);
	memmove(in->buf, in->buf + 4 + n, in->len - 4 - n);
	in->len -= 4 + n;
	in->buf[in->len] = '\0';
	return rc < 0 ? -1 : 1;
}
