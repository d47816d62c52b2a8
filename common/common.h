/*
 * common: the small toolbox every module of the judge shares.
 *
 * - allocators that never return NULL (they abort with a message instead,
 *   because a judge that runs out of memory cannot grade correctly anyway);
 * - a growable byte buffer (struct strbuf);
 * - logging with levels, the judge name and the current submission id;
 * - die() for start-up mistakes only;
 * - file helpers: read a whole file, write all bytes, remove a tree, make a
 *   private temporary folder;
 * - YAML access on top of libyaml's document API with errors that name the
 *   file, the line and the key;
 * - monotonic time and UTF-8 repair.
 *
 * Everything that can fail at run time returns -1 (or NULL) and writes a
 * readable reason into a caller-supplied buffer (char *err, size_t errlen).
 */
#ifndef JUDGE_COMMON_H
#define JUDGE_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <yaml.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTF(f, a) __attribute__((format(printf, f, a)))
#define NORETURN     __attribute__((noreturn))

/* ---- memory ---- */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF(1, 2);
/* Grows *arr (of *cap elements of size elem) so that it holds at least need. */
void xgrow(void **arr, size_t *cap, size_t need, size_t elem);
#define XGROW(arr, cap, need) xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))
void strv_free(char **v);

/* ---- growable buffer, always NUL-terminated ---- */
struct strbuf {
	char *buf;
	size_t len, cap;
};
#define STRBUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}
void sb_add(struct strbuf *sb, const void *data, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) PRINTF(2, 3);
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) PRINTF(2, 0);
/* The contents as a heap string (never NULL); the buffer is left empty. */
char *sb_detach(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);

/* ---- errors and logging ---- */
enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
void log_setup(const char *judge_name, bool debug, bool ansi);
/* Redirects the log to a file (appending); returns -1 and fills err on failure. */
int log_set_file(const char *path, char *err, size_t errlen);
void log_set_submission(int64_t id); /* -1 = none */
/* The descriptor log lines go to (kept open across close_fds_except). */
int log_fd(void);
void log_msg(enum log_level lvl, const char *fmt, ...) PRINTF(2, 3);
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
bool log_debug_enabled(void);
/* For start-up mistakes: prints "judge: <message>" and exits with status. */
NORETURN void die(int status, const char *fmt, ...) PRINTF(2, 3);
/* snprintf into an error buffer; always returns -1 so callers can
 * `return errf(err, errlen, ...)`. */
int errf(char *err, size_t errlen, const char *fmt, ...) PRINTF(3, 4);

/* ---- files ---- */
/* Reads a whole file (up to max bytes, else fails) into a NUL-terminated
 * heap buffer. */
int read_file(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen);
int write_all(int fd, const void *data, size_t n);
int write_file(const char *path, const void *data, size_t n, mode_t mode, char *err, size_t errlen);
/* Removes a file or a whole tree; never follows symlinks out of it. */
int rm_rf(const char *path);
/* mkdtemp under dir ("prefix-XXXXXX"); returns a heap path or NULL. */
char *make_temp_dir(const char *dir, const char *prefix, char *err, size_t errlen);
char *path_join(const char *a, const char *b);
bool path_exists(const char *p);
/* Names in a folder (without . and ..), sorted bytewise, NULL-terminated;
 * NULL if the folder cannot be read. Free with strv_free. */
char **list_dir(const char *path, size_t *n);
bool is_dir(const char *p);
/* Closes every descriptor from 3 up except those listed (a forked worker
 * must not hold the bridge's socket or other sessions' files). */
void close_fds_except(const int *keep, size_t n);
/* A memfd (close-on-exec) holding exactly these bytes, positioned at 0. */
int memfd_from(const char *name, const void *data, size_t n, char *err, size_t errlen);
/* Maps a file descriptor read-only; *len = its size. An empty file gives a
 * non-NULL pointer to an empty string. Unmap with unmap_fd. */
int map_fd(int fd, const char **data, size_t *len, char *err, size_t errlen);
void unmap_fd(const char *data, size_t len);

/* ---- time ---- */
double mono_now(void);
double wall_now(void);

/* ---- text ---- */
bool utf8_valid(const char *s, size_t n);
/* Offset of the first byte that is not valid UTF-8 (or is NUL), or n. */
size_t utf8_check(const char *s, size_t n);
/* Copies s, replacing each invalid UTF-8 sequence with U+FFFD and NUL bytes
 * with U+FFFD, so the result is always valid for JSON. */
char *utf8_repair(const char *s, size_t n);
/* The same, but NUL bytes are kept (JSON carries them as \u0000); the
 * result's length is stored in *out_len. */
char *utf8_repair_len(const char *s, size_t n, size_t *out_len);
/* Copies s without ANSI escape sequences (compiler colours). */
char *ansi_strip(const char *s);
/* Parses a whole decimal integer / floating number; false if not one. */
bool parse_long(const char *s, long *out);
bool parse_double(const char *s, double *out);

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
 * scalars the YAML 1.1 way (null, booleans, integers, floats, strings). */
struct json_t;
struct json_t *yml_to_json(struct yml *y, const yaml_node_t *n);

#endif
