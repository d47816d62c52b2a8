/*
 * The grading worker: one forked process per submission, and the pipe its
 * events travel through.
 *
 * The parent never grades: it only reads events, so it can answer the
 * bridge, and it can kill the worker at any moment. Everything a grading
 * creates lives in a working folder the parent made before the fork, so
 * the parent can remove it even when the worker was killed or crashed.
 * The sandboxed programs are ptrace tracees of the worker with
 * PTRACE_O_EXITKILL, so they die with it.
 *
 * Events are framed as a 4-byte big-endian length and the JSON text.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "judge/grading/grading.h"
#include "sandbox/sandbox.h"

/* Events are small (outputs are cut to their prefix, logs to their
 * limit); anything larger is a broken worker. */
#define MAX_EVENT (16u << 20)

int event_write(int fd, json_t *ev)
{
	char *text = json_dumps(ev, JSON_COMPACT);
	if (!text)
		return -1;
	size_t n = strlen(text);
	unsigned char hdr[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
				(unsigned char)(n >> 8), (unsigned char)n};
	int rc = write_all(fd, hdr, 4) < 0 || write_all(fd, text, n) < 0 ? -1 : 0;
	free(text);
	return rc;
}

bool event_is_final(const json_t *ev)
{
	const char *name = json_string_value(json_object_get(ev, "name"));
	return name && (!strcmp(name, "grading-end") || !strcmp(name, "compile-error") ||
			!strcmp(name, "internal-error") || !strcmp(name, "submission-terminated"));
}

int worker_start(struct worker *w, const struct judge_env *env, const struct grading_request *req,
		 char *err, size_t errlen)
{
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->pid = -1;
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "judge-%lld", (long long)req->id);
	w->workdir = make_temp_dir(env->cfg->tempdir, prefix, err, errlen);
	if (!w->workdir)
		return -1;
	/* programs run as the sandbox user must be able to enter it */
	if (chmod(w->workdir, 0755) < 0) {
		errf(err, errlen, "chmod %s: %s", w->workdir, strerror(errno));
		goto fail;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		errf(err, errlen, "pipe: %s", strerror(errno));
		goto fail;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		errf(err, errlen, "cannot fork a grading worker: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		goto fail;
	}
	if (pid == 0) {
		int keep[4] = {p[1], log_fd()};
		size_t nkeep = 2 + sbx_descriptors(keep + 2, 2);
		close_fds_except(keep, nkeep);
		/* the worker must not outlive a crashed parent */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(1);
		signal(SIGPIPE, SIG_IGN);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_DFL);
		log_set_submission(req->id);
		grader_run(env, req, w->workdir, p[1]);
		close(p[1]);
		_exit(0);
	}
	close(p[1]);
	w->pid = pid;
	w->fd = p[0];
	int fl = fcntl(w->fd, F_GETFL);
	if (fl < 0 || fcntl(w->fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		errf(err, errlen, "fcntl: %s", strerror(errno));
		worker_kill(w);
		json_decref(worker_finish(w));
		return -1;
	}
	return 0;
fail:
	rm_rf(w->workdir);
	free(w->workdir);
	w->workdir = NULL;
	return -1;
}

int worker_next(struct worker *w, json_t **ev)
{
	*ev = NULL;
	for (;;) {
		if (w->in.len >= 4) {
			const unsigned char *h = (const unsigned char *)w->in.buf;
			size_t n =
			    (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3];
			if (n > MAX_EVENT) {
				log_error("grading worker sent an event of %zu bytes; stopping it",
					  n);
				worker_kill(w);
				w->eof = true;
				return -1;
			}
			if (w->in.len >= 4 + n) {
				json_error_t je;
				json_t *j = json_loadb(w->in.buf + 4, n, JSON_ALLOW_NUL, &je);
				memmove(w->in.buf, w->in.buf + 4 + n, w->in.len - 4 - n);
				w->in.len -= 4 + n;
				if (!j || !json_is_object(j)) {
					log_error("grading worker sent a malformed event: %s",
						  je.text);
					json_decref(j);
					continue;
				}
				if (event_is_final(j))
					w->final_seen = true;
				*ev = j;
				return 1;
			}
		}
		if (w->eof)
			return -1;
		char buf[65536];
		ssize_t r = read(w->fd, buf, sizeof(buf));
		if (r > 0) {
			sb_add(&w->in, buf, (size_t)r);
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		w->eof = true;
	}
}

void worker_kill(struct worker *w)
{
	if (w->pid > 0)
		kill(w->pid, SIGKILL);
}

json_t *worker_finish(struct worker *w)
{
	json_t *ev = NULL;
	int status = 0;
	if (w->pid > 0) {
		while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!w->final_seen) {
			char why[128];
			if (WIFSIGNALED(status))
				snprintf(why, sizeof(why), "killed by signal %d (%s)",
					 WTERMSIG(status), strsignal(WTERMSIG(status)));
			else
				snprintf(why, sizeof(why), "exited with status %d",
					 WEXITSTATUS(status));
			ev = json_pack("{s:s, s:s+}", "name", "internal-error", "message",
				       "the grading worker ended without a result: ", why);
		}
	}
	if (w->fd >= 0)
		close(w->fd);
	if (w->workdir) {
		if (rm_rf(w->workdir) < 0)
			log_error("cannot remove working folder %s: %s", w->workdir,
				  strerror(errno));
		free(w->workdir);
	}
	sb_free(&w->in);
	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->pid = -1;
	return ev;
}

void grading_request_free(struct grading_request *r)
{
	free(r->problem);
	free(r->language);
	free(r->source);
	json_decref(r->meta);
	memset(r, 0, sizeof(*r));
}
