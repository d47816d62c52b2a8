/*
 * yml: YAML access on top of libyaml's document API, with errors that name
 * the file, the line and the key. Only the files that read YAML (the
 * configuration, init.yml, test.yml) include it, and with it <yaml.h>.
 */
#ifndef JUDGE_YML_H
#define JUDGE_YML_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "common/common.h"

/* ---- YAML (libyaml document API) ---- */
struct yml {
	yaml_document_t doc;
	char *file; /* for messages */
	bool loaded;
};
/* Loads the first document of a YAML file. An empty file gives a document
 * with no root. */
int yml_load(struct yml *y, const char *path, char *err, size_t errlen);
int yml_load_string(struct yml *y, const char *name, const char *text, size_t len, char *err,
		    size_t errlen);
void yml_free(struct yml *y);
yaml_node_t *yml_root(struct yml *y);
int yml_line(const yaml_node_t *n);
yaml_node_t *yml_get(struct yml *y, yaml_node_t *map, const char *key);
bool yml_is_map(const yaml_node_t *n);
bool yml_is_seq(const yaml_node_t *n);
bool yml_is_scalar(const yaml_node_t *n);
bool yml_is_null(const yaml_node_t *n);
const char *yml_str(const yaml_node_t *n); /* scalar value, or NULL */
size_t yml_seq_len(const yaml_node_t *n);
yaml_node_t *yml_seq_at(struct yml *y, const yaml_node_t *seq, size_t i);
size_t yml_map_len(const yaml_node_t *n);
/* i-th pair of a mapping */
void yml_map_at(struct yml *y, const yaml_node_t *map, size_t i, yaml_node_t **k, yaml_node_t **v);
/* Typed reads: return 0 and set *out, or -1 with "FILE:LINE: key `KEY`:
 * expected ..." in err. */
int yml_to_bool(struct yml *y, const yaml_node_t *n, const char *key, bool *out, char *err,
		size_t errlen);
int yml_to_long(struct yml *y, const yaml_node_t *n, const char *key, long *out, char *err,
		size_t errlen);
int yml_to_double(struct yml *y, const yaml_node_t *n, const char *key, double *out, char *err,
		  size_t errlen);
int yml_to_string(struct yml *y, const yaml_node_t *n, const char *key, const char **out, char *err,
		  size_t errlen);
/* A sequence of strings (a single scalar counts as a one-element list). */
int yml_to_strv(struct yml *y, const yaml_node_t *n, const char *key, char ***out, char *err,
		size_t errlen);
/* "FILE:LINE: key `KEY`: <message>" */
int yml_err(struct yml *y, const yaml_node_t *n, const char *key, char *err, size_t errlen,
	    const char *fmt, ...) PRINTF(6, 7);

/* Converts a node (and its children) to a jansson value, resolving plain
 * scalars the YAML 1.1 way (null, booleans, integers, floats, strings).
 * Aliases are expanded, so that a few lines could stand for billions of
 * values: past 131072 values, or 64 levels, the rest is null. */
struct json_t;
struct json_t *yml_to_json(struct yml *y, const yaml_node_t *n);

#endif
