/*
 * Logging: one line per message with time, level, judge name and the
 * submission being graded, to stderr or a log file.
 *
 * The judge's key is never passed to these functions; nothing here filters
 * it, so callers must keep it out of messages.
 *
 * Under systemd, stderr is often a stream into the journal, which stamps
 * each line with its own time and reads a syslog "<N>" prefix as the
 * line's priority: there the lines carry that prefix instead of a time
 * stamp and colours, so that `journalctl -p warning` filters them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static struct {
	char name[128];
	bool debug, ansi;
	bool journal; /* stderr is the journal's stream */
	int fd;
	int64_t submission;
} lg = {"", false, false, false, STDERR_FILENO, -1};

/* systemd's documented test: JOURNAL_STREAM holds "DEVICE:INODE" of the
 * stream it connected to the journal, and only a descriptor that is still
 * that stream goes there (a redirection or a child's own stderr is not). */
bool log_is_journal(int fd)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	char rest;
	struct stat sb;
	if (!env || sscanf(env, "%llu:%llu%c", &dev, &ino, &rest) != 2 || fstat(fd, &sb) < 0)
		return false;
	return (unsigned long long)sb.st_dev == dev && (unsigned long long)sb.st_ino == ino;
}

void log_setup(const char *judge_name, bool debug, bool ansi)
{
	snprintf(lg.name, sizeof(lg.name), "%s", judge_name ? judge_name : "");
	lg.debug = debug;
	lg.journal = log_is_journal(STDERR_FILENO);
	lg.ansi = ansi && !lg.journal;
}

int log_set_file(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return errf(err, errlen, "cannot open log file %s: %s", path, strerror(errno));
	if (lg.fd != STDERR_FILENO)
		close(lg.fd);
	lg.fd = fd;
	lg.ansi = false;
	return 0;
}

void log_set_submission(int64_t id)
{
	lg.submission = id;
}

int log_fd(void)
{
	return lg.fd;
}

bool log_debug_enabled(void)
{
	return lg.debug;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
	static const char *colours[] = {"\033[31m", "\033[33m", "", "\033[2m"};
	static const int priorities[] = {3, 4, 6, 7}; /* LOG_ERR, LOG_WARNING, ... */
	if (lvl == LOG_DEBUG && !lg.debug)
		return;
	int saved = errno;
	struct strbuf sb = STRBUF_INIT;
	if (lg.journal && lg.fd == STDERR_FILENO) {
		sb_addf(&sb, "<%d>", priorities[lvl]);
	} else {
		struct timespec ts;
		struct tm tm;
		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		char when[32];
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		sb_addf(&sb, "%s.%03ld ", when, ts.tv_nsec / 1000000);
	}
	if (lg.ansi)
		sb_adds(&sb, colours[lvl]);
	/* levels padded to one width only when a name follows, so that
	 * named lines align and unnamed ones read "INFO: ..." */
	sb_addf(&sb, lg.name[0] ? "%-5s" : "%s", names[lvl]);
	if (lg.ansi && colours[lvl][0])
		sb_adds(&sb, "\033[0m");
	if (lg.name[0])
		sb_addf(&sb, " %s", lg.name);
	if (lg.submission >= 0)
		sb_addf(&sb, " [%lld]", (long long)lg.submission);
	sb_adds(&sb, ": ");
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	sb_addc(&sb, '\n');
	/* one write() so lines from the worker and the parent never interleave */
	if (write_all(lg.fd, sb.buf, sb.len) < 0 && lg.fd != STDERR_FILENO)
		(void)!write(STDERR_FILENO, sb.buf, sb.len);
	sb_free(&sb);
	errno = saved;
}

void die(int status, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	/* asked afresh: die() may come before log_setup() (a bad option) */
	size_t prefix = log_is_journal(STDERR_FILENO) ? 3 : 0;
	sb_adds(&sb, prefix ? "<3>judge: " : "judge: ");
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	sb_addc(&sb, '\n');
	(void)!write(STDERR_FILENO, sb.buf, sb.len);
	if (lg.fd != STDERR_FILENO)
		(void)!write(lg.fd, sb.buf + prefix, sb.len - prefix);
	sb_free(&sb);
	exit(status);
}
