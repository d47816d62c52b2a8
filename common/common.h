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
 * - string vectors (NULL-terminated arrays of heap strings);
 * - monotonic time, UTF-8 repair, plain-name checks.
 *
 * YAML access is in common/yml.h, for the few files that read YAML.
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

/* ---- string vectors: NULL-terminated arrays of heap strings ---- */
void strv_free(char **v);
/* A vector of copies of the arguments, up to a NULL. */
char **strv_new(const char *first, ...) __attribute__((sentinel));
/* Appends a copy of s to the vector *v of *n strings and *cap slots. */
void strv_push(char ***v, size_t *n, size_t *cap, const char *s);
size_t strv_len(char *const *v);
/* True when s is one of the strings of v (v may be NULL). */
bool strv_has(char *const *v, const char *s);
/* The index of s among the first n strings of list (or up to a NULL,
 * whichever comes first: SIZE_MAX for a NULL-terminated list), or -1. */
ssize_t str_index(const char *const *list, size_t n, const char *s);

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
/* Whether fd is the stream systemd connected to the journal (JOURNAL_STREAM). */
bool log_is_journal(int fd);
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

/* ---- errors ---- */
/* The size of every buffer an error message is written into: room for a
 * message that quotes the first lines of a compiler's or checker's output. */
#define ERR_SIZE 4096
/* snprintf into an error buffer; always returns -1 so callers can
 * `return errf(err, errlen, ...)`. */
int errf(char *err, size_t errlen, const char *fmt, ...) PRINTF(3, 4);

/* ---- files ---- */
/* Reads a whole file (up to max bytes, else fails) into a NUL-terminated
 * heap buffer. */
int read_file(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen);
int write_all(int fd, const void *data, size_t n);
int write_file(const char *path, const void *data, size_t n, mode_t mode, char *err, size_t errlen);
/* Copies the file src to a new file dst (replacing one that is there)
 * with that mode. */
int copy_file(const char *src, const char *dst, mode_t mode, char *err, size_t errlen);
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
/* True when the n bytes of s are at least one and each a letter or digit
 * of ASCII or one of extra: a name safe in a file name, a shell word, an
 * identifier. */
bool str_plain(const char *s, size_t n, const char *extra);
/* Parses a whole decimal integer / floating number; false if not one. */
bool parse_long(const char *s, long *out);
bool parse_double(const char *s, double *out);

#endif
