/*
 * Fuzzes the YAML layer every configuration file goes through
 * (common/yml.c): loading a document, converting it to JSON the YAML 1.1
 * way (what init.yml's checker arguments, generator arguments and
 * test.yml become), and the typed reads the parsers make on single
 * nodes (booleans, whole numbers, numbers, text, lists of text, keys
 * looked up through merge keys `<<`), applied here to every node.
 *
 * Checked besides crashes: the JSON of any document can be written out
 * (jansson refuses what it cannot represent, such as invalid UTF-8).
 */
#include <jansson.h>
#include <stdlib.h>

#include "common/yml.h"
#include "tests/fuzz/harness.h"

static void read_node(struct yml *y, yaml_node_t *n)
{
	char err[ERR_SIZE];
	bool b;
	long l;
	double d;
	const char *s;
	char **v;
	yml_to_bool(y, n, "k", &b, err, sizeof(err));
	yml_to_long(y, n, "k", &l, err, sizeof(err));
	yml_to_double(y, n, "k", &d, err, sizeof(err));
	yml_to_string(y, n, "k", &s, err, sizeof(err));
	if (yml_to_strv(y, n, "k", &v, err, sizeof(err)) == 0)
		strv_free(v);
	yml_is_null(n);
	if (yml_is_map(n)) {
		/* keys every parser asks for, found directly or through `<<` */
		yml_get(y, n, "test_cases");
		yml_get(y, n, "points");
		yml_get(y, n, "a");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	struct yml y;
	char err[ERR_SIZE];
	if (yml_load_string(&y, "fuzz.yml", (const char *)data, size, err, sizeof(err)) < 0)
		return 0;
	/* every node of the document, aliased or not, in the order stored */
	for (yaml_node_t *n = y.doc.nodes.start; n < y.doc.nodes.top; n++)
		read_node(&y, n);
	json_t *j = yml_to_json(&y, yml_root(&y));
	char *text = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
	if (j && !text)
		fuzz_fail("the JSON of a YAML document cannot be written");
	free(text);
	json_decref(j);
	yml_free(&y);
	return 0;
}
