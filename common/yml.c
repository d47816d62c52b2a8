/*
 * YAML access for config.yml, init.yml and test.yml.
 *
 * libyaml's document API keeps every node's position, so errors can name
 * the file, the line and the key. Plain scalars are resolved the YAML 1.1
 * way (as PyYAML does for DMOJ), because existing problem files rely on
 * `yes`, `on`, `~` and friends.
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "common/yml.h"

struct key_at {
	const char *key;
	size_t at;
};

static int by_key_then_place(const void *a, const void *b)
{
	const struct key_at *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

/* Drops the pairs of one mapping whose key comes again later; sorted, so
 * that a mapping of many keys costs n log n. */
static void drop_repeated_in(struct yml *y, yaml_node_t *n)
{
	yaml_node_pair_t *pairs = n->data.mapping.pairs.start;
	size_t len = (size_t)(n->data.mapping.pairs.top - pairs), nk = 0;
	if (len < 2)
		return;
	struct key_at *keys = xcalloc(len, sizeof(*keys));
	bool *drop = xcalloc(len, sizeof(*drop));
	for (size_t i = 0; i < len; i++) {
		const char *s = yml_str(yaml_document_get_node(&y->doc, pairs[i].key));
		if (s && strcmp(s, "<<"))
			keys[nk++] = (struct key_at){s, i};
	}
	qsort(keys, nk, sizeof(*keys), by_key_then_place);
	for (size_t i = 0; i + 1 < nk; i++)
		if (!strcmp(keys[i].key, keys[i + 1].key)) {
			drop[keys[i].at] = true;
			log_warn("%s:%d: key `%s` is repeated; the last one is used", y->file,
				 yml_line(yaml_document_get_node(&y->doc, pairs[keys[i].at].key)),
				 keys[i].key);
		}
	size_t kept = 0;
	for (size_t i = 0; i < len; i++)
		if (!drop[i])
			pairs[kept++] = pairs[i];
	n->data.mapping.pairs.top = pairs + kept;
	free(keys);
	free(drop);
}

/* PyYAML, which reads these files for DMOJ, keeps the last of a repeated
 * key in a mapping. Dropping the earlier pairs once, here, gives every
 * reader that answer and leaves no value to be read twice. Merge keys
 * (`<<`) may repeat. */
static void drop_repeated_keys(struct yml *y)
{
	for (yaml_node_t *n = y->doc.nodes.start; n < y->doc.nodes.top; n++)
		if (n->type == YAML_MAPPING_NODE)
			drop_repeated_in(y, n);
}

static int load(struct yml *y, yaml_parser_t *parser, const char *name, char *err, size_t errlen)
{
	memset(&y->doc, 0, sizeof(y->doc));
	y->file = xstrdup(name);
	y->loaded = false;
	if (!yaml_parser_load(parser, &y->doc)) {
		errf(err, errlen, "%s:%zu: YAML syntax error: %s%s%s", name,
		     parser->problem_mark.line + 1, parser->problem ? parser->problem : "unknown",
		     parser->context ? " " : "", parser->context ? parser->context : "");
		free(y->file);
		y->file = NULL;
		return -1;
	}
	y->loaded = true;
	drop_repeated_keys(y);
	return 0;
}

int yml_load_string(struct yml *y, const char *name, const char *text, size_t len, char *err,
		    size_t errlen)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return errf(err, errlen, "%s: cannot initialise the YAML parser", name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	int ret = load(y, &parser, name, err, errlen);
	yaml_parser_delete(&parser);
	return ret;
}

int yml_load(struct yml *y, const char *path, char *err, size_t errlen)
{
	char *text;
	size_t len;
	if (read_file(path, 64 << 20, &text, &len, err, errlen) < 0)
		return -1;
	int ret = yml_load_string(y, path, text, len, err, errlen);
	free(text);
	return ret;
}

void yml_free(struct yml *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
	free(y->file);
	y->file = NULL;
}

yaml_node_t *yml_root(struct yml *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

int yml_line(const yaml_node_t *n)
{
	return n ? (int)n->start_mark.line + 1 : 0;
}

bool yml_is_map(const yaml_node_t *n)
{
	return n && n->type == YAML_MAPPING_NODE;
}

bool yml_is_seq(const yaml_node_t *n)
{
	return n && n->type == YAML_SEQUENCE_NODE;
}

bool yml_is_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

static bool plain(const yaml_node_t *n)
{
	return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!n->tag || !strcmp((const char *)n->tag, YAML_DEFAULT_SCALAR_TAG) ||
		!strcmp((const char *)n->tag, "?"));
}

static bool tagged(const yaml_node_t *n, const char *t)
{
	return n->tag && !strcmp((const char *)n->tag, t);
}

bool yml_is_null(const yaml_node_t *n)
{
	if (!n)
		return true;
	if (n->type != YAML_SCALAR_NODE)
		return false;
	if (tagged(n, "tag:yaml.org,2002:null"))
		return true;
	if (!plain(n))
		return false;
	const char *s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

const char *yml_str(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

size_t yml_seq_len(const yaml_node_t *n)
{
	return yml_is_seq(n) ? (size_t)(n->data.sequence.items.top - n->data.sequence.items.start)
			     : 0;
}

yaml_node_t *yml_seq_at(struct yml *y, const yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

size_t yml_map_len(const yaml_node_t *n)
{
	return yml_is_map(n) ? (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start)
			     : 0;
}

void yml_map_at(struct yml *y, const yaml_node_t *map, size_t i, yaml_node_t **k, yaml_node_t **v)
{
	yaml_node_pair_t *p = map->data.mapping.pairs.start + i;
	*k = yaml_document_get_node(&y->doc, p->key);
	*v = yaml_document_get_node(&y->doc, p->value);
}

/* Aliases let a few lines name one node exponentially many times, or
 * itself (`a: &a [*a, *a]`, `a: &a {<<: [*a, *a]}`), so walks that follow
 * them are bounded by the nodes they visit, not only by their depth. */
#define MAX_MERGE_VISITS 4096	   /* maps visited for one key through `<<` */
#define MAX_JSON_NODES	 (1 << 17) /* values made by one yml_to_json */

static yaml_node_t *get(struct yml *y, yaml_node_t *map, const char *key, int depth, size_t *visits)
{
	if (!yml_is_map(map) || depth > 16 || ++*visits > MAX_MERGE_VISITS)
		return NULL;
	size_t n = yml_map_len(map);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *k, *v;
		yml_map_at(y, map, i, &k, &v);
		const char *s = yml_str(k);
		if (s && !strcmp(s, key))
			return v;
	}
	/* YAML merge keys (`<<: *defaults`), which PyYAML honours */
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *k, *v;
		yml_map_at(y, map, i, &k, &v);
		const char *s = yml_str(k);
		if (!s || strcmp(s, "<<"))
			continue;
		if (yml_is_map(v))
			return get(y, v, key, depth + 1, visits);
		for (size_t j = 0; j < yml_seq_len(v); j++) {
			yaml_node_t *r = get(y, yml_seq_at(y, v, j), key, depth + 1, visits);
			if (r)
				return r;
		}
	}
	return NULL;
}

yaml_node_t *yml_get(struct yml *y, yaml_node_t *map, const char *key)
{
	size_t visits = 0;
	return get(y, map, key, 0, &visits);
}

int yml_err(struct yml *y, const yaml_node_t *n, const char *key, char *err, size_t errlen,
	    const char *fmt, ...)
{
	char msg[ERR_SIZE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (key)
		return errf(err, errlen, "%s:%d: key `%s`: %s", y->file ? y->file : "?",
			    yml_line(n), key, msg);
	return errf(err, errlen, "%s:%d: %s", y->file ? y->file : "?", yml_line(n), msg);
}

static const char *describe(const yaml_node_t *n)
{
	if (!n)
		return "nothing";
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	return NULL;
}

static int bool_word(const char *s)
{
	static const char *t[] = {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
	static const char *f[] = {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
	for (size_t i = 0; i < ARRAY_LEN(t); i++) {
		if (!strcmp(s, t[i]))
			return 1;
		if (!strcmp(s, f[i]))
			return 0;
	}
	return -1;
}

int yml_to_bool(struct yml *y, const yaml_node_t *n, const char *key, bool *out, char *err,
		size_t errlen)
{
	const char *s = yml_str(n);
	int b = s ? bool_word(s) : -1;
	if (b < 0) {
		const char *d = describe(n);
		return yml_err(y, n, key, err, errlen, "expected true or false, got %s%s%s",
			       d ? d : "'", d ? "" : s, d ? "" : "'");
	}
	*out = b;
	return 0;
}

/* Integers the YAML 1.1 way: decimal with optional sign and underscores,
 * 0x hexadecimal, 0o/0 octal. */
static bool yaml_int(const char *s, long *out)
{
	char buf[64];
	size_t j = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '_')
			continue;
		if (j + 1 >= sizeof(buf))
			return false;
		buf[j++] = s[i];
	}
	buf[j] = '\0';
	if (!j)
		return false;
	const char *p = buf;
	int base = 10;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] == 'o') {
		base = 8;
		p += 2;
	} else if (p[0] == '0' && p[1]) {
		base = 8;
		p++;
	}
	/* strtol would take a second sign (or space) here: --9223372036854775808
	 * would be LONG_MIN, and negating it overflow */
	if (!isalnum((unsigned char)*p))
		return false;
	char *end;
	errno = 0;
	long v = strtol(p, &end, base);
	if (errno || *end)
		return false;
	*out = neg ? -v : v;
	return true;
}

static bool yaml_float(const char *s, double *out)
{
	if (!strcasecmp(s, ".inf") || !strcasecmp(s, "+.inf")) {
		*out = __builtin_inf();
		return true;
	}
	if (!strcasecmp(s, "-.inf")) {
		*out = -__builtin_inf();
		return true;
	}
	if (!strcasecmp(s, ".nan")) {
		*out = __builtin_nan("");
		return true;
	}
	/* strtod also takes "inf", "nan" and hex floats, which YAML does not */
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789+-.eE_", *p))
			return false;
	char buf[128];
	size_t j = 0;
	for (size_t i = 0; s[i]; i++)
		if (s[i] != '_') {
			if (j + 1 >= sizeof(buf))
				return false;
			buf[j++] = s[i];
		}
	buf[j] = '\0';
	return parse_double(buf, out);
}

int yml_to_long(struct yml *y, const yaml_node_t *n, const char *key, long *out, char *err,
		size_t errlen)
{
	const char *s = yml_str(n);
	if (s && yaml_int(s, out))
		return 0;
	double d;
	/* the range test first: converting a double outside long's range
	 * (1e300, .inf, .nan) to long is undefined */
	if (s && yaml_float(s, &d) && d >= -0x1p63 && d < 0x1p63 && d == (double)(long)d) {
		*out = (long)d;
		return 0;
	}
	const char *what = describe(n);
	return yml_err(y, n, key, err, errlen, "expected a whole number, got %s%s%s",
		       what ? what : "'", what ? "" : s, what ? "" : "'");
}

int yml_to_double(struct yml *y, const yaml_node_t *n, const char *key, double *out, char *err,
		  size_t errlen)
{
	const char *s = yml_str(n);
	long l;
	if (s && yaml_int(s, &l)) {
		*out = (double)l;
		return 0;
	}
	if (s && yaml_float(s, out))
		return 0;
	const char *what = describe(n);
	return yml_err(y, n, key, err, errlen, "expected a number, got %s%s%s", what ? what : "'",
		       what ? "" : s, what ? "" : "'");
}

int yml_to_string(struct yml *y, const yaml_node_t *n, const char *key, const char **out, char *err,
		  size_t errlen)
{
	const char *s = yml_str(n);
	if (!s || yml_is_null(n)) {
		const char *what = describe(n);
		return yml_err(y, n, key, err, errlen, "expected a text value, got %s",
			       what ? what : "null");
	}
	*out = s;
	return 0;
}

int yml_to_strv(struct yml *y, const yaml_node_t *n, const char *key, char ***out, char *err,
		size_t errlen)
{
	if (yml_is_scalar(n) && !yml_is_null(n)) {
		char **v = xcalloc(2, sizeof(char *));
		v[0] = xstrdup(yml_str(n));
		*out = v;
		return 0;
	}
	if (!yml_is_seq(n))
		return yml_err(y, n, key, err, errlen, "expected a list of text values");
	size_t len = yml_seq_len(n);
	char **v = xcalloc(len + 1, sizeof(char *));
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *e = yml_seq_at(y, n, i);
		if (!yml_is_scalar(e) || yml_is_null(e)) {
			strv_free(v);
			return yml_err(y, e, key, err, errlen, "item %zu is not a text value",
				       i + 1);
		}
		v[i] = xstrdup(yml_str(e));
	}
	*out = v;
	return 0;
}

/* Past MAX_JSON_NODES values, the rest of the document is null. */
static json_t *to_json(struct yml *y, const yaml_node_t *n, int depth, size_t *left)
{
	if (!n || depth > 64 || !*left)
		return json_null();
	--*left;
	if (n->type == YAML_SEQUENCE_NODE) {
		json_t *a = json_array();
		for (size_t i = 0; i < yml_seq_len(n); i++)
			json_array_append_new(a, to_json(y, yml_seq_at(y, n, i), depth + 1, left));
		return a;
	}
	if (n->type == YAML_MAPPING_NODE) {
		json_t *o = json_object();
		for (size_t i = 0; i < yml_map_len(n); i++) {
			yaml_node_t *k, *v;
			yml_map_at(y, n, i, &k, &v);
			const char *ks = yml_str(k);
			if (!ks)
				continue;
			char *fixed = utf8_repair(ks, strlen(ks));
			json_object_set_new(o, fixed, to_json(y, v, depth + 1, left));
			free(fixed);
		}
		return o;
	}
	const char *s = yml_str(n);
	size_t len = n->data.scalar.length;
	if (yml_is_null(n))
		return json_null();
	if (plain(n) || tagged(n, "tag:yaml.org,2002:bool") || tagged(n, "tag:yaml.org,2002:int") ||
	    tagged(n, "tag:yaml.org,2002:float")) {
		int b = bool_word(s);
		long l;
		double d;
		if (b >= 0)
			return json_boolean(b);
		if (yaml_int(s, &l))
			return json_integer(l);
		if (yaml_float(s, &d))
			return json_real(d);
	}
	char *fixed = utf8_repair(s, len);
	json_t *r = json_string(fixed);
	free(fixed);
	return r ? r : json_null();
}

json_t *yml_to_json(struct yml *y, const yaml_node_t *n)
{
	size_t left = MAX_JSON_NODES;
	return to_json(y, n, 0, &left);
}
