/*
 * Fuzzes the bridge's framing as the live judge reads it: bytes from the
 * network (4-byte length, zlib stream, JSON) taken off a receive buffer
 * with pkt_take, exactly as pkt_read does between socket reads.
 *
 * The first input byte is the harness's own: its low four bits choose
 * how the rest arrives (all at once, or in pieces of 1..15 bytes, since
 * frames split across reads are where buffer arithmetic goes wrong), its
 * high four bits the limit the frames are held to. Every packet that
 * decodes is also sent back through pkt_encode, which must give a frame
 * that decodes to an equal value, and once more with a small frame limit,
 * where cutting long texts must either make it fit or fail cleanly.
 */
#include <string.h>

#include "packet/packet.h"
#include "tests/fuzz/harness.h"

/* Small limits reach the "announced too much" and "inflates beyond"
 * refusals with small inputs; the large one is the judge's default. */
static const size_t limits[16] = {64u << 20, 1u << 20, 65536, 4096, 1024, 256,	64,    16,
				  8,	     4,	       1,     0,    300,  3000, 30000, 300000};

/* The packet in a frame pkt_encode made. The limit is the site's concern,
 * not the encoder's (a frame within it may inflate to any size), so it is
 * one that no 4-byte length reaches. */
static json_t *take_one(struct strbuf *in)
{
	char err[ERR_SIZE];
	json_t *j;
	size_t missing;
	int rc = pkt_take(in, (size_t)1 << 40, &j, &missing, err, sizeof(err));
	if (rc != 1)
		fuzz_fail("an encoded frame does not decode (%d): %s", rc, rc < 0 ? err : "");
	if (in->len)
		fuzz_fail("%zu bytes left after the only frame", in->len);
	return j;
}

/* What the judge sends must come back as it was, or cut to fit. */
static void send_back(const json_t *packet, size_t small)
{
	char err[ERR_SIZE];
	struct strbuf f = STRBUF_INIT;
	json_t *copy = json_deep_copy(packet);
	if (pkt_encode(copy, PKT_MAX_SEND, &f, err, sizeof(err)) == 0) {
		json_t *back = take_one(&f);
		if (!json_equal(back, packet))
			fuzz_fail("a packet changed on its way through pkt_encode and pkt_take");
		json_decref(back);
	}
	json_decref(copy);

	copy = json_deep_copy(packet);
	if (pkt_encode(copy, small, &f, err, sizeof(err)) == 0) {
		if (f.len - 4 > small)
			fuzz_fail("pkt_encode made a %zu-byte frame for a limit of %zu", f.len - 4,
				  small);
		json_decref(take_one(&f));
	}
	json_decref(copy);
	sb_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	fuzz_quiet();
	size_t piece = data[0] & 0x0f, max_frame = limits[data[0] >> 4];
	const char *bytes = (const char *)data + 1;
	size_t n = size - 1, off = 0;
	struct strbuf in = STRBUF_INIT;
	char err[ERR_SIZE];
	bool dropped = false;
	while (off < n && !dropped) {
		size_t k = piece && piece < n - off ? piece : n - off;
		sb_add(&in, bytes + off, k);
		off += k;
		for (;;) {
			json_t *j;
			size_t missing;
			size_t before = in.len;
			int rc = pkt_take(&in, max_frame, &j, &missing, err, sizeof(err));
			if (rc < 0) {
				/* the live judge closes the connection here */
				dropped = true;
				break;
			}
			if (rc == 0) {
				if (in.len != before)
					fuzz_fail("pkt_take consumed bytes without a frame");
				if (in.len >= 4 && (!missing || missing > max_frame + 4))
					fuzz_fail("pkt_take says %zu bytes are missing", missing);
				break;
			}
			if (json_is_object(j))
				send_back(j, 16 + (max_frame & 0xfff));
			json_decref(j);
		}
	}
	sb_free(&in);
	return 0;
}
