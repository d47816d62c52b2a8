/*
 * The live judge: one connection to a site's bridge, kept for months.
 *
 * A single poll loop in the parent process watches the bridge socket, the
 * grading worker's event pipe, a signalfd (SIGTERM, SIGINT, SIGUSR2,
 * SIGCHLD) and an inotify descriptor on the problem folders, with timers
 * for the 0.25 s flush of test-case results, reconnection and rescans.
 * Grading happens in the forked worker, so a ping is answered within
 * milliseconds even while a submission runs.
 *
 * A network fault never ends the judge: the connection is closed, the
 * submission being graded (if any) is aborted and its id logged — the site
 * has already failed it and its bridge would refuse late results — and the
 * judge reconnects at once, then with jittered exponential back-off.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "executors/executors.h"
#include "judge/frontends/frontends.h"
#include "judge/grading/verdict.h"
#include "judge/grading/worker.h"
#include "packet/packet.h"

#define FLUSH_INTERVAL	  0.25
#define HANDSHAKE_TIMEOUT 30.0
#define RESCAN_DEBOUNCE	  1.0
#define CONNECT_TIMEOUT	  5.0

enum state { OFFLINE, HANDSHAKING, ONLINE };

struct live {
	struct config *cfg;
	const struct live_opts *o;
	struct problem_index problems;
	json_t *problem_list; /* as last sent (or to be sent) */
	struct pkt_conn *conn;
	enum state state;
	double handshake_deadline;
	double next_connect;
	double delay; /* back-off for the next failed attempt */
	double started;
	bool ever_connected;
	struct worker w;
	bool busy;
	int64_t sub_id;
	json_t *pending; /* test-case objects waiting for the flush */
	double flush_at;
	int sfd, ifd;
	double rescan_at;
	bool announce; /* supported-problems owed once online */
	bool quit;
};

static double jitter(double d)
{
	/* ±20 % so that judges behind one bridge do not reconnect in step */
	return d * (0.8 + 0.4 * ((double)random() / (double)RAND_MAX));
}

static json_t *problem_list(const struct problem_index *idx)
{
	json_t *a = json_array();
	for (size_t i = 0; i < idx->n; i++)
		json_array_append_new(a,
				      json_pack("[s, f]", idx->items[i].code, idx->items[i].mtime));
	return a;
}

/* ---- sending ---- */

static void drop(struct live *l, const char *why);

static void send_packet(struct live *l, json_t *p)
{
	char err[ERR_SIZE];
	if (!l->conn) {
		json_decref(p);
		return;
	}
	const char *name = json_string_value(json_object_get(p, "name"));
	log_debug("-> %s", name ? name : "?");
	int rc = pkt_send(l->conn, p, err, sizeof(err));
	json_decref(p);
	if (rc < 0)
		drop(l, err);
}

static void send_sub(struct live *l, int64_t id, json_t *p)
{
	json_object_set_new(p, "submission-id", json_integer(id));
	send_packet(l, p);
}

static void flush_cases(struct live *l)
{
	if (!json_array_size(l->pending))
		return;
	/* the packet takes the array; a fresh one collects what follows */
	json_t *p = json_pack("{s:s, s:o}", "name", event_name(EV_CASE), "cases", l->pending);
	l->pending = json_array();
	l->flush_at = 0;
	send_sub(l, l->sub_id, p);
}

/* ---- the grading worker ---- */

static void finish_worker(struct live *l, json_t *final)
{
	json_t *ev = worker_finish(&l->w);
	worker_reap_orphans(NULL);
	if (ev && final == NULL) {
		/* the worker died without a result: the site must still hear
		 * how this submission ended */
		flush_cases(l);
		log_error("submission %lld: %s", (long long)l->sub_id,
			  json_string_value(json_object_get(ev, "message")));
		send_sub(l, l->sub_id, json_incref(ev));
	}
	json_decref(ev);
	l->busy = false;
	log_set_submission(-1);
}

static void stop_grading(struct live *l)
{
	if (!l->busy)
		return;
	worker_kill(&l->w);
	json_decref(worker_finish(&l->w));
	worker_reap_orphans(NULL);
	json_array_clear(l->pending);
	l->flush_at = 0;
	l->busy = false;
	log_set_submission(-1);
}

static void on_event(void *ctx, enum event_kind kind, json_t *ev)
{
	struct live *l = ctx;
	if (!l->busy)
		return;
	if (kind == EV_CASE) {
		size_t i;
		json_t *c;
		json_array_foreach (json_object_get(ev, "cases"), i, c) {
			/* local front ends' convenience, not part of the protocol */
			json_object_del(c, "batch");
			json_array_append(l->pending, c);
		}
		if (!l->flush_at)
			l->flush_at = mono_now() + FLUSH_INTERVAL;
		return;
	}
	if (kind == EV_UNKNOWN)
		return;
	flush_cases(l);
	bool final = event_kind_final(kind);
	if (final)
		log_info("submission %lld: %s", (long long)l->sub_id,
			 kind == EV_GRADING_END ? "graded" : event_name(kind));
	send_sub(l, l->sub_id, json_incref(ev));
	if (final)
		finish_worker(l, ev);
}

static void pump_worker(struct live *l)
{
	if (l->busy && worker_pump(&l->w, on_event, l) < 0 && l->busy)
		finish_worker(l, NULL);
}

/* ---- packets from the bridge ---- */

static int member_error(char *err, size_t errlen, const char *member, const char *want)
{
	return errf(err, errlen, "submission-request: member `%s` is missing or not %s", member,
		    want);
}

int live_parse_submission(const json_t *p, struct grading_request *req, char *err, size_t errlen)
{
	*req = (struct grading_request){0};
	json_t *jid = json_object_get(p, "submission-id");
	if (!json_is_integer(jid)) {
		errf(err, errlen, "submission-request without a readable submission-id");
		return LIVE_NO_ID;
	}
	req->id = json_integer_value(jid);
	json_t *problem = json_object_get(p, "problem-id");
	json_t *lang = json_object_get(p, "language");
	json_t *source = json_object_get(p, "source");
	json_t *tl = json_object_get(p, "time-limit");
	json_t *ml = json_object_get(p, "memory-limit");
	json_t *sc = json_object_get(p, "short-circuit");
	json_t *meta = json_object_get(p, "meta");
	if (!json_is_string(problem))
		return member_error(err, errlen, "problem-id", "text");
	if (!json_is_string(lang))
		return member_error(err, errlen, "language", "text");
	if (!json_is_string(source))
		return member_error(err, errlen, "source", "text");
	if (!json_is_number(tl) || json_number_value(tl) <= 0)
		return member_error(err, errlen, "time-limit", "a positive number");
	if (!json_is_integer(ml) || json_integer_value(ml) <= 0)
		return member_error(err, errlen, "memory-limit", "a positive whole number");
	if (sc && !json_is_boolean(sc))
		return member_error(err, errlen, "short-circuit", "true or false");
	if (meta && !json_is_object(meta) && !json_is_null(meta))
		return member_error(err, errlen, "meta", "an object");
	req->problem = xstrdup(json_string_value(problem));
	req->language = xstrdup(json_string_value(lang));
	req->source = xstrndup(json_string_value(source), json_string_length(source));
	req->source_len = json_string_length(source);
	req->time_limit = json_number_value(tl);
	req->memory_limit = (long)json_integer_value(ml);
	req->short_circuit = json_is_true(sc);
	req->pretests_only = json_is_true(json_object_get(meta, "pretests-only"));
	req->meta = json_is_object(meta) ? json_incref(meta) : NULL;
	return 0;
}

static void on_submission(struct live *l, json_t *p)
{
	struct grading_request req;
	char err[ERR_SIZE];
	int rc = live_parse_submission(p, &req, err, sizeof(err));
	if (rc == LIVE_NO_ID) {
		log_error("submission-request without a readable submission-id ignored");
		return;
	}
	int64_t id = req.id;
	send_sub(l, id, json_pack("{s:s}", "name", "submission-acknowledged"));
	if (!l->conn)
		goto out;
	if (l->busy) {
		log_error("submission %lld requested while %lld is being graded", (long long)id,
			  (long long)l->sub_id);
		char msg[ERR_SIZE];
		snprintf(msg, sizeof(msg), "the judge is already grading submission %lld",
			 (long long)l->sub_id);
		send_sub(l, id, event_internal_error(msg));
		goto out;
	}
	if (rc < 0) {
		log_error("submission %lld: %s", (long long)id, err);
		send_sub(l, id, event_internal_error(err));
		goto out;
	}
	log_set_submission(id);
	log_info("grading %s in %s (%gs, %ld KiB)", req.problem, req.language, req.time_limit,
		 req.memory_limit);
	struct judge_env env = {l->cfg, &l->problems};
	if (worker_start(&l->w, &env, &req, err, sizeof(err)) < 0) {
		log_error("%s", err);
		send_sub(l, id, event_internal_error(err));
		log_set_submission(-1);
	} else {
		l->busy = true;
		l->sub_id = id;
	}
out:
	grading_request_free(&req);
}

static void on_ping(struct live *l, json_t *p)
{
	double load[1] = {-1};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (getloadavg(load, 1) == 1 && cpus > 0)
		load[0] /= (double)cpus;
	json_t *r = json_pack("{s:s, s:f, s:f, s:i}", "name", "ping-response", "time", wall_now(),
			      "load", load[0], "cpu-count", (int)(cpus > 0 ? cpus : 1));
	json_t *when = json_object_get(p, "when");
	json_object_set(r, "when", when ? when : json_null());
	send_packet(l, r);
}

static void on_packet(struct live *l, json_t *p)
{
	const char *name = json_is_object(p) ? json_string_value(json_object_get(p, "name")) : NULL;
	if (!name) {
		log_warn("ignoring a packet from the bridge without a \"name\"");
		return;
	}
	log_debug("<- %s", name);
	if (l->state == HANDSHAKING) {
		if (strcmp(name, "handshake-success")) {
			char why[ERR_SIZE];
			snprintf(why, sizeof(why),
				 "authentication failed: the bridge answered %s to the handshake",
				 name);
			drop(l, why);
			return;
		}
		l->state = ONLINE;
		l->delay = l->cfg->reconnect_initial;
		l->ever_connected = true;
		log_info("connected to %s:%d as %s (%.0f ms after start)", l->o->host, l->o->port,
			 l->o->name, (mono_now() - l->started) * 1000);
		if (l->announce) {
			/* asked for (SIGUSR2) while the handshake was in flight */
			l->announce = false;
			send_packet(l, json_pack("{s:s, s:O}", "name", "supported-problems",
						 "problems", l->problem_list));
		}
		return;
	}
	if (!strcmp(name, "ping"))
		on_ping(l, p);
	else if (!strcmp(name, "submission-request"))
		on_submission(l, p);
	else if (!strcmp(name, "terminate-submission")) {
		if (!l->busy) {
			log_warn("terminate-submission while idle ignored");
			return;
		}
		int64_t id = l->sub_id;
		worker_kill(&l->w);
		json_decref(worker_finish(&l->w));
		l->busy = false;
		flush_cases(l);
		log_info("submission %lld terminated on request", (long long)id);
		log_set_submission(-1);
		send_sub(l, id, event_submission_terminated());
	} else if (!strcmp(name, "get-current-submission")) {
		json_t *r = json_pack("{s:s}", "name", "current-submission-id");
		json_object_set_new(r, "submission-id",
				    l->busy ? json_integer(l->sub_id) : json_null());
		send_packet(l, r);
	} else if (!strcmp(name, "disconnect")) {
		log_info("the bridge asked us to disconnect");
		stop_grading(l);
		l->quit = true;
	} else if (!strcmp(name, "handshake-success")) {
		log_debug("a second handshake-success ignored");
	} else {
		log_warn("unknown packet %s ignored", name);
	}
}

/* ---- connection life cycle ---- */

static void drop(struct live *l, const char *why)
{
	if (!l->conn)
		return;
	bool was_online = l->state == ONLINE;
	if (l->busy) {
		log_error("connection lost while grading submission %lld; it is abandoned (the "
			  "site has failed it): %s",
			  (long long)l->sub_id, why);
		stop_grading(l);
	} else {
		log_warn("connection to %s:%d closed: %s", l->o->host, l->o->port, why);
	}
	pkt_close(l->conn);
	l->conn = NULL;
	l->state = OFFLINE;
	double now = mono_now();
	if (was_online) {
		/* first attempt after losing a working connection: at once */
		l->next_connect = now;
		l->delay = l->cfg->reconnect_initial;
	} else {
		l->next_connect = now + jitter(l->delay);
		l->delay =
		    l->delay * 1.5 > l->cfg->reconnect_max ? l->cfg->reconnect_max : l->delay * 1.5;
	}
}

static void rescan(struct live *l, bool force_send);

static void try_connect(struct live *l)
{
	struct pkt_opts po = {
	    .host = l->o->host,
	    .port = l->o->port,
	    .tls = l->o->tls,
	    .verify = l->o->verify,
	    .ca_file = l->o->ca_file,
	    .connect_timeout = CONNECT_TIMEOUT,
	    .max_frame = (size_t)l->cfg->max_packet_size,
	};
	char err[ERR_SIZE];
	if (pkt_connect(&po, &l->conn, err, sizeof(err)) < 0) {
		double wait = jitter(l->delay);
		log_warn("%s; retrying in %.1f s", err, wait);
		l->next_connect = mono_now() + wait;
		l->delay =
		    l->delay * 1.5 > l->cfg->reconnect_max ? l->cfg->reconnect_max : l->delay * 1.5;
		return;
	}
	l->state = HANDSHAKING;
	l->handshake_deadline = mono_now() + HANDSHAKE_TIMEOUT;
	/* every handshake carries the problems as they are now, whether or not
	 * a change was noticed while disconnected */
	rescan(l, false);
	l->announce = false;
	json_t *h =
	    json_pack("{s:s, s:O, s:o, s:s, s:s}", "name", "handshake", "problems", l->problem_list,
		      "executors", executors_handshake(), "id", l->o->name, "key", l->o->key);
	send_packet(l, h);
}

/* ---- problems ---- */

static void add_watch(int fd, const char *dir)
{
	uint32_t mask = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE |
			IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
	if (inotify_add_watch(fd, dir, mask) < 0 && errno != ENOENT && errno != ENOTDIR)
		log_warn("cannot watch %s for problem changes: %s", dir, strerror(errno));
}

/* Watches the problem folders, the folders holding them and each glob's
 * fixed root, so that a problem added, removed or changed is noticed. */
static void watch_problems(struct live *l)
{
	if (!l->o->watchdog)
		return;
	if (l->ifd >= 0)
		close(l->ifd);
	l->ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (l->ifd < 0) {
		log_warn("inotify: %s; problem changes need SIGUSR2", strerror(errno));
		return;
	}
	for (size_t i = 0; l->cfg->problem_globs[i]; i++) {
		char *root = xstrdup(l->cfg->problem_globs[i]);
		char *magic = strpbrk(root, "*?[");
		if (magic) {
			*magic = '\0';
			char *slash = strrchr(root, '/');
			if (slash)
				slash[slash == root ? 1 : 0] = '\0';
		}
		add_watch(l->ifd, *root ? root : "/");
		free(root);
	}
	for (size_t i = 0; i < l->problems.n; i++) {
		add_watch(l->ifd, l->problems.items[i].dir);
		char *parent = xstrdup(l->problems.items[i].dir);
		char *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			add_watch(l->ifd, parent);
		}
		free(parent);
	}
}

static void rescan(struct live *l, bool force_send)
{
	char err[ERR_SIZE];
	struct problem_index idx;
	l->rescan_at = 0;
	if (problem_discover(l->cfg->problem_globs, &idx, err, sizeof(err)) < 0) {
		log_error("rescanning problems: %s", err);
		return;
	}
	problem_index_free(&l->problems);
	l->problems = idx;
	json_t *list = problem_list(&l->problems);
	bool changed = !json_equal(list, l->problem_list);
	json_decref(l->problem_list);
	l->problem_list = list;
	watch_problems(l);
	if (changed)
		log_info("problems changed: %zu now", l->problems.n);
	if (changed || force_send)
		l->announce = true;
	if (l->announce && l->state == ONLINE) {
		l->announce = false;
		send_packet(l, json_pack("{s:s, s:O}", "name", "supported-problems", "problems",
					 l->problem_list));
	}
}

static void drain_inotify(struct live *l)
{
	char buf[16384];
	bool any = false;
	while (read(l->ifd, buf, sizeof(buf)) > 0)
		any = true;
	if (any && !l->rescan_at)
		l->rescan_at = mono_now() + RESCAN_DEBOUNCE;
}

static void on_signal(struct live *l)
{
	struct signalfd_siginfo si;
	while (read(l->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			worker_reap_orphans(l->busy ? &l->w : NULL);
		} else if (si.ssi_signo == SIGUSR2) {
			log_info("SIGUSR2: rescanning problems");
			rescan(l, true);
		} else {
			log_info("%s: shutting down", strsignal((int)si.ssi_signo));
			if (l->busy) {
				int64_t id = l->sub_id;
				stop_grading(l);
				send_sub(
				    l, id,
				    event_internal_error("the judge was stopped while grading"));
			}
			l->quit = true;
		}
	}
}

/* Sends what is still queued, for at most a second, before exiting. */
static void drain_output(struct live *l)
{
	char err[ERR_SIZE];
	double until = mono_now() + 1;
	while (l->conn && pkt_want_write(l->conn) && mono_now() < until) {
		struct pollfd p = {pkt_fd(l->conn), POLLOUT, 0};
		if (poll(&p, 1, 100) > 0 && pkt_flush(l->conn, err, sizeof(err)) < 0)
			break;
	}
}

static double next_timeout(struct live *l)
{
	double now = mono_now(), t = 60;
	double deadlines[] = {l->state == OFFLINE ? l->next_connect : 0,
			      l->state == HANDSHAKING ? l->handshake_deadline : 0, l->flush_at,
			      l->rescan_at};
	for (size_t i = 0; i < ARRAY_LEN(deadlines); i++)
		if (deadlines[i] && deadlines[i] - now < t)
			t = deadlines[i] - now;
	return t < 0 ? 0 : t;
}

static void run(struct live *l)
{
	while (!l->quit) {
		double now = mono_now();
		if (l->state == OFFLINE && now >= l->next_connect)
			try_connect(l);
		if (l->state == HANDSHAKING && mono_now() >= l->handshake_deadline)
			drop(l, "no answer to the handshake");
		if (l->flush_at && mono_now() >= l->flush_at)
			flush_cases(l);
		if (l->rescan_at && mono_now() >= l->rescan_at)
			rescan(l, false);

		struct pollfd p[4];
		int n = 0, ic = -1, iw = -1, is = -1, ii = -1;
		if (l->conn) {
			p[n] = (struct pollfd){pkt_fd(l->conn),
					       POLLIN | (pkt_want_write(l->conn) ? POLLOUT : 0), 0};
			ic = n++;
		}
		if (l->busy) {
			p[n] = (struct pollfd){l->w.fd, POLLIN, 0};
			iw = n++;
		}
		p[n] = (struct pollfd){l->sfd, POLLIN, 0};
		is = n++;
		if (l->ifd >= 0) {
			p[n] = (struct pollfd){l->ifd, POLLIN, 0};
			ii = n++;
		}
		double t = l->conn && pkt_pending(l->conn) ? 0 : next_timeout(l);
		int r = poll(p, (nfds_t)n, (int)(t * 1000) + (t > 0 ? 1 : 0));
		if (r < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			sleep(1);
			continue;
		}
		if (p[is].revents & POLLIN)
			on_signal(l);
		if (iw >= 0 && p[iw].revents)
			pump_worker(l);
		if (ic >= 0 && l->conn) {
			char err[ERR_SIZE];
			if ((p[ic].revents & POLLOUT) && pkt_flush(l->conn, err, sizeof(err)) < 0)
				drop(l, err);
			if (l->conn && ((p[ic].revents & (POLLIN | POLLHUP | POLLERR)) ||
					pkt_pending(l->conn))) {
				json_t *pk;
				int rc;
				while (l->conn && !l->quit &&
				       (rc = pkt_read(l->conn, &pk, err, sizeof(err))) != 0) {
					if (rc < 0) {
						drop(l, err);
						break;
					}
					on_packet(l, pk);
					json_decref(pk);
				}
			}
		}
		if (ii >= 0 && (p[ii].revents & POLLIN))
			drain_inotify(l);
	}
}

int cmd_live(struct config *cfg, const struct live_opts *o)
{
	struct live l = {0};
	l.cfg = cfg;
	l.o = o;
	l.started = o->started;
	l.ifd = -1;
	l.delay = cfg->reconnect_initial;
	l.pending = json_array();
	srandom((unsigned)(getpid() ^ (unsigned)(wall_now() * 1000)));
	signal(SIGPIPE, SIG_IGN);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR2);
	/* orphaned programs of killed gradings are reaped as they end */
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	l.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (l.sfd < 0)
		die(1, "signalfd: %s", strerror(errno));

	judge_setup_sandbox(cfg);
	int n = judge_setup_executors(cfg, o->only, o->exclude, o->skip_selftest, false);
	if (n == 0)
		log_warn("no executor is usable: the judge can grade nothing");
	char err[ERR_SIZE];
	if (problem_discover(cfg->problem_globs, &l.problems, err, sizeof(err)) < 0)
		die(2, "%s: %s", cfg->path, err);
	l.problem_list = problem_list(&l.problems);
	log_info("%zu problems, %d executors; bridge %s:%d%s", l.problems.n, n, o->host, o->port,
		 o->tls ? " over TLS" : "");
	watch_problems(&l);

	run(&l);

	drain_output(&l);
	if (l.conn)
		pkt_close(l.conn);
	if (l.ifd >= 0)
		close(l.ifd);
	close(l.sfd);
	json_decref(l.pending);
	json_decref(l.problem_list);
	problem_index_free(&l.problems);
	executors_free();
	log_info("stopped");
	return 0;
}
