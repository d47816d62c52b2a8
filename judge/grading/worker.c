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
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "judge/grading/worker.h"
#include "sandbox/sandbox.h"

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
		int rc = event_read(&w->in, ev);
		if (rc == EVENT_READ_BROKEN) {
			worker_kill(w);
			w->eof = true;
			return -1;
		}
		if (rc == EVENT_READ_ONE) {
			if (event_is_final(*ev))
				w->final_seen = true;
			return 1;
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

int worker_pump(struct worker *w, event_handler fn, void *ctx)
{
	json_t *ev;
	int rc;
	while ((rc = worker_next(w, &ev)) == 1) {
		enum event_kind kind = event_kind_of(ev);
		fn(ctx, kind, ev);
		json_decref(ev);
		/* nothing after a final event counts, and fn may have finished
		 * the worker */
		if (event_kind_final(kind))
			return -1;
	}
	return rc;
}

void worker_reap_orphans(const struct worker *w)
{
	for (;;) {
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		/* looked at first, so that the worker's own status is left for
		 * worker_finish */
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0)
			return;
		if (w && si.si_pid == w->pid)
			return;
		while (waitpid(si.si_pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
}

int worker_drive(const struct judge_env *env, const struct grading_request *req, int sigfd,
		 event_handler fn, void *ctx, char *err, size_t errlen)
{
	struct worker w;
	if (worker_start(&w, env, req, err, errlen) < 0)
		return DRIVE_NO_WORKER;
	bool aborted = false;
	while (worker_pump(&w, fn, ctx) == 0) {
		struct pollfd p[2] = {{w.fd, POLLIN, 0}, {sigfd, POLLIN, 0}};
		if (poll(p, sigfd >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
			break;
		if (sigfd >= 0 && (p[1].revents & POLLIN)) {
			struct signalfd_siginfo si;
			(void)!read(sigfd, &si, sizeof(si));
			worker_kill(&w);
			aborted = true;
		}
	}
	json_t *ev = worker_finish(&w);
	worker_reap_orphans(NULL);
	if (ev && !aborted)
		fn(ctx, event_kind_of(ev), ev);
	json_decref(ev);
	return aborted ? DRIVE_ABORTED : DRIVE_ENDED;
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
			char why[ERR_SIZE];
			if (WIFSIGNALED(status))
				snprintf(why, sizeof(why), "killed by signal %d (%s)",
					 WTERMSIG(status), strsignal(WTERMSIG(status)));
			else
				snprintf(why, sizeof(why), "exited with status %d",
					 WEXITSTATUS(status));
			char msg[ERR_SIZE];
			snprintf(msg, sizeof(msg), "the grading worker ended without a result: %s",
				 why);
			ev = event_internal_error(msg);
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
