/*
 * Problem programs (bridged checkers, interactors, generators): compiled
 * once per grading, cached across gradings, run in the sandbox.
 *
 * The cache holds binaries under COMPILED_BINARY_CACHE_DIR/binaries, each
 * named by the SHA-256 of everything that decides its bytes: the judge
 * version, the executor and its runtime version, flags, defines and every
 * source file's name and contents. A hit is copied into the grading's
 * folder instead of compiling (testlib checkers take seconds to build);
 * the least recently used binaries beyond compiled_binary_cache_size are
 * removed. The folder must belong to the judge's user and be writable by
 * no one else: a binary planted there would run as every problem's
 * checker.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "judge/helpers/helpers.h"

#ifndef JUDGE_VERSION
#define JUDGE_VERSION "dev"
#endif

/* Compile logs quoted in an internal error are cut here: the first
 * errors are the useful ones. */
#define LOG_QUOTE 2000

void helper_set_init(struct helper_set *hs, const struct judge_env *env, const struct problem *prob,
		     const char *workdir, const char *data_dir)
{
	memset(hs, 0, sizeof(*hs));
	hs->env = env;
	hs->prob = prob;
	hs->dir = path_join(workdir, "helpers");
	hs->data_dir = xstrdup(data_dir);
}

static void helper_free(struct helper *h)
{
	if (!h)
		return;
	program_free(&h->prog);
	free(h->module);
	free(h->label);
	free(h);
}

void helper_set_free(struct helper_set *hs)
{
	for (size_t i = 0; i < hs->n; i++)
		helper_free(hs->items[i]);
	free(hs->items);
	free(hs->dir);
	free(hs->data_dir);
	memset(hs, 0, sizeof(*hs));
}

double helper_time_limit(const struct helper_set *hs, const struct problem_program *pp)
{
	return pp && pp->time_limit > 0 ? pp->time_limit : hs->env->cfg->generator_time_limit;
}

long helper_memory_limit(const struct helper_set *hs, const struct problem_program *pp)
{
	return pp && pp->memory_limit > 0 ? pp->memory_limit : hs->env->cfg->generator_memory_limit;
}

/* ---- choosing the executor ---- */

static const char *extension(const char *name)
{
	const char *slash = strrchr(name, '/'), *dot = strrchr(name, '.');
	return dot && (!slash || dot > slash) ? dot + 1 : "";
}

static bool is_header(const char *name)
{
	const char *x = extension(name);
	return !strcmp(x, "h") || !strcmp(x, "hpp") || !strcmp(x, "hh");
}

const struct executor *helper_executor(const struct problem_program *pp, char *err, size_t errlen)
{
	if (pp->lang) {
		const struct executor *e = executor_find(pp->lang);
		if (!e)
			errf(err, errlen, "language %s is not available on this judge", pp->lang);
		return e;
	}
	const struct executor *e = executor_for_files(pp->files);
	if (!e)
		errf(err, errlen, "could not find an appropriate executor for %s (set `lang`)",
		     pp->files[0]);
	return e;
}

/* ---- the binary cache ---- */

static char *cache_dir(const struct helper_set *hs)
{
	const struct config *cfg = hs->env->cfg;
	char *base = cfg->cache_dir ? xstrdup(cfg->cache_dir)
				    : xasprintf("%s/judge-cache-%d", cfg->tempdir, (int)geteuid());
	char *dir = path_join(base, "binaries");
	struct stat st;
	bool ok = (mkdir(base, 0700) == 0 || errno == EEXIST) &&
		  (mkdir(dir, 0700) == 0 || errno == EEXIST) && lstat(dir, &st) == 0 &&
		  S_ISDIR(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & 022);
	if (!ok) {
		log_warn("compiled-binary cache %s is unusable (missing, or writable by others); "
			 "compiling without it",
			 dir);
		free(dir);
		dir = NULL;
	}
	free(base);
	return dir;
}

static void hash_str(EVP_MD_CTX *md, const char *s, size_t n)
{
	uint64_t len = n;
	EVP_DigestUpdate(md, &len, sizeof(len));
	EVP_DigestUpdate(md, s, n);
}

/* The cache key of a compile request, in hex. */
static char *request_hash(const struct executor *e, const struct compile_request *req)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		return NULL;
	}
	hash_str(md, "judge-helper 1", 14);
	hash_str(md, JUDGE_VERSION, strlen(JUDGE_VERSION));
	hash_str(md, executor_key(e), strlen(executor_key(e)));
	hash_str(md, executor_runtime_version(e), strlen(executor_runtime_version(e)));
	hash_str(md, req->name, strlen(req->name));
	hash_str(md, req->unbuffered ? "u" : "b", 1);
	for (size_t i = 0; req->flags && req->flags[i]; i++)
		hash_str(md, req->flags[i], strlen(req->flags[i]));
	hash_str(md, "--", 2);
	for (size_t i = 0; req->defines && req->defines[i]; i++)
		hash_str(md, req->defines[i], strlen(req->defines[i]));
	hash_str(md, "--", 2);
	hash_str(md, req->source, req->len);
	for (size_t i = 0; i < req->nextra; i++) {
		hash_str(md, req->extra[i].name, strlen(req->extra[i].name));
		hash_str(md, req->extra[i].data, req->extra[i].len);
	}
	int ok = EVP_DigestFinal_ex(md, digest, &dlen);
	EVP_MD_CTX_free(md);
	if (!ok)
		return NULL;
	char *hex = xmalloc(2 * dlen + 1);
	for (unsigned int i = 0; i < dlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return hex;
}

struct entry {
	char *name;
	struct timespec mtime;
};

static int entry_cmp(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	if (a->mtime.tv_sec != b->mtime.tv_sec)
		return a->mtime.tv_sec < b->mtime.tv_sec ? -1 : 1;
	return (a->mtime.tv_nsec > b->mtime.tv_nsec) - (a->mtime.tv_nsec < b->mtime.tv_nsec);
}

/* Removes the least recently used binaries beyond the configured count. */
static void cache_trim(const char *dir, long keep)
{
	size_t n;
	char **names = list_dir(dir, &n);
	if (!names)
		return;
	struct entry *e = xcalloc(n ? n : 1, sizeof(*e));
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		char *path = path_join(dir, names[i]);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && !strchr(names[i], '.'))
			e[m++] = (struct entry){names[i], st.st_mtim};
		free(path);
	}
	qsort(e, m, sizeof(*e), entry_cmp);
	for (size_t i = 0; keep >= 0 && m > (size_t)keep && i < m - (size_t)keep; i++) {
		char *path = path_join(dir, e[i].name);
		if (unlink(path) < 0 && errno != ENOENT)
			log_warn("cannot remove %s from the binary cache: %s", path,
				 strerror(errno));
		free(path);
	}
	free(e);
	strv_free(names);
}

static void cache_store(const struct helper_set *hs, const char *dir, const char *hash,
			const char *binary)
{
	char *final = path_join(dir, hash);
	char *tmp = xasprintf("%s.%d", final, (int)getpid());
	char err[ERR_SIZE];
	/* written aside and renamed: another judge sharing the folder never
	 * copies a half-written binary */
	int rc = copy_file(binary, tmp, 0700, err, sizeof(err));
	if (rc == 0 && rename(tmp, final) < 0)
		rc = errf(err, sizeof(err), "cannot rename %s: %s", tmp, strerror(errno));
	if (rc == 0)
		cache_trim(dir, hs->env->cfg->cache_size);
	else
		log_warn("cannot keep %s in the binary cache %s: %s", binary, dir, err);
	unlink(tmp);
	free(tmp);
	free(final);
}

/* The cached binary for hash, touched as just used, or NULL. */
static char *cache_lookup(const char *dir, const char *hash)
{
	char *path = path_join(dir, hash);
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		free(path);
		return NULL;
	}
	if (utimensat(AT_FDCWD, path, NULL, 0) < 0)
		log_debug("cannot touch %s: %s", path, strerror(errno));
	return path;
}

/* ---- preparing ---- */

static void add_helper(struct helper_set *hs, struct helper *h)
{
	XGROW(hs->items, hs->cap, hs->n + 1);
	hs->items[hs->n++] = h;
}

/* A fresh folder for the next helper, enterable by the sandbox user. */
static char *helper_dir(struct helper_set *hs, char *err, size_t errlen)
{
	if (mkdir(hs->dir, 0755) < 0 && errno != EEXIST) {
		errf(err, errlen, "cannot create %s: %s", hs->dir, strerror(errno));
		return NULL;
	}
	char name[32];
	snprintf(name, sizeof(name), "%zu", hs->n);
	char *dir = path_join(hs->dir, name);
	if (mkdir(dir, 0755) < 0) {
		errf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

static char *stem_of(const char *file)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	const char *dot = strrchr(base, '.');
	return dot && dot != base ? xstrndup(base, (size_t)(dot - base)) : xstrdup(base);
}

static const char *base_name(const char *file)
{
	const char *base = strrchr(file, '/');
	return base ? base + 1 : file;
}

struct sources {
	char **data;
	size_t *len;
	struct source_file *extra;
	size_t nextra;
	size_t n;
	int main; /* index of the main source */
};

static void sources_free(struct sources *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->data[i]);
	free(s->data);
	free(s->len);
	free(s->extra);
}

/* Reads the files; the main source is the first that is not a header. */
static int read_sources(const struct helper_set *hs, const struct problem_program *pp,
			struct sources *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	size_t n = 0;
	while (pp->files[n])
		n++;
	s->data = xcalloc(n, sizeof(char *));
	s->len = xcalloc(n, sizeof(size_t));
	s->extra = xcalloc(n, sizeof(*s->extra));
	s->main = -1;
	for (size_t i = 0; i < n; i++) {
		if (problem_read_data(hs->prob, pp->files[i], true, &s->data[i], &s->len[i], err,
				      errlen) < 0)
			return -1;
		s->n++;
		if (s->main < 0 && !is_header(pp->files[i]))
			s->main = (int)i;
	}
	if (s->main < 0)
		return errf(err, errlen, "only headers, no source file, in `%s`", pp->key);
	for (size_t i = 0; i < n; i++)
		if ((int)i != s->main)
			s->extra[s->nextra++] =
			    (struct source_file){base_name(pp->files[i]), s->data[i], s->len[i]};
	return 0;
}

static char *describe(const struct problem_program *pp)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s", pp->key);
	for (size_t i = 0; pp->files[i]; i++)
		sb_addf(&sb, "%s%s", i ? ", " : " ", pp->files[i]);
	return sb_detach(&sb);
}

int helper_get(struct helper_set *hs, const struct problem_program *pp, const struct helper **out,
	       char *err, size_t errlen)
{
	for (size_t i = 0; i < hs->n; i++)
		if (hs->items[i]->spec == pp) {
			*out = hs->items[i];
			return 0;
		}
	const struct problem *p = hs->prob;
	char inner[ERR_SIZE];
	struct helper *h = xcalloc(1, sizeof(*h));
	struct sources src;
	char *dir = NULL, *hash = NULL, *cdir = NULL, *cached = NULL;
	int ret = -1;
	memset(&src, 0, sizeof(src));
	h->spec = pp;
	h->label = describe(pp);
	h->exe = helper_executor(pp, inner, sizeof(inner));
	if (!h->exe || read_sources(hs, pp, &src, inner, sizeof(inner)) < 0 ||
	    !(dir = helper_dir(hs, inner, sizeof(inner)))) {
		errf(err, errlen, "problem %s: %s line %d: %s: %s", p->code, p->init_path, pp->line,
		     h->label, inner);
		goto out;
	}
	char *stem = stem_of(pp->files[src.main]);
	struct compile_request req = {
	    .source = src.data[src.main],
	    .len = src.len[src.main],
	    .name = stem,
	    .dir = dir,
	    .extra = src.extra,
	    .nextra = src.nextra,
	    .flags = pp->flags,
	    .unbuffered = pp->unbuffered,
	    .time_limit = pp->compiler_time_limit > 0 ? pp->compiler_time_limit
						      : hs->env->cfg->generator_compiler_time_limit,
	};
	if (executor_cacheable(h->exe) && (cdir = cache_dir(hs)) &&
	    (hash = request_hash(h->exe, &req)))
		cached = cache_lookup(cdir, hash);
	req.binary = cached;
	int rc = executor_prepare(h->exe, &req, &h->prog, inner, sizeof(inner));
	free(stem);
	if (rc == PREPARE_INTERNAL) {
		errf(err, errlen, "problem %s: %s line %d: cannot build %s: %s", p->code,
		     p->init_path, pp->line, h->label, inner);
		goto out;
	}
	if (rc == PREPARE_COMPILE_ERROR) {
		char *plain = ansi_strip(h->prog.compile_log);
		errf(err, errlen, "problem %s: %s line %d: %s failed compiling:\n%.*s", p->code,
		     p->init_path, pp->line, h->label, LOG_QUOTE, plain);
		free(plain);
		goto out;
	}
	h->cached = cached != NULL;
	if (!cached && hash && cdir)
		cache_store(hs, cdir, hash, h->prog.path);
	log_debug("problem %s: %s ready (%s)", p->code, h->label,
		  cached ? "from the binary cache" : "compiled");
	add_helper(hs, h);
	*out = h;
	h = NULL;
	ret = 0;
out:
	sources_free(&src);
	helper_free(h);
	free(dir);
	free(hash);
	free(cdir);
	free(cached);
	return ret;
}

/* ---- running ---- */

void helper_exec_init(struct helper_exec *x, const struct helper_set *hs, const struct helper *h,
		      char *const *args, double time, long memory_kib, uint64_t output_limit)
{
	size_t n = 0, cap = 0;
	/* first: the spec writes the memory limit into the program's argv
	 * where its runtime takes it as an argument */
	program_spec(&h->prog, time, (uint64_t)memory_kib, 3, output_limit, &x->spec);
	x->argv = NULL;
	for (size_t i = 0; h->prog.argv[i]; i++)
		strv_push(&x->argv, &n, &cap, h->prog.argv[i]);
	for (size_t i = 0; args && args[i]; i++)
		strv_push(&x->argv, &n, &cap, args[i]);
	x->policy = sbx_policy_copy(h->prog.policy);
	sbx_policy_add(x->policy, SBX_TREE, hs->data_dir, false);
	x->spec.argv = x->argv;
	x->spec.policy = x->policy;
}

void helper_exec_allow_write(struct helper_exec *x, const char *path)
{
	sbx_policy_add(x->policy, SBX_FILE, path, true);
}

void helper_exec_free(struct helper_exec *x)
{
	strv_free(x->argv);
	sbx_policy_free(x->policy);
	memset(x, 0, sizeof(*x));
}

int helper_run_captured(struct helper_exec *x, struct sbx_result *res, struct helper_output *o,
			char *err, size_t errlen)
{
	*o = (struct helper_output){.out = -1, .err = -1};
	o->out = memfd_create("helper-stdout", MFD_CLOEXEC);
	o->err = memfd_create("helper-stderr", MFD_CLOEXEC);
	if (o->out < 0 || o->err < 0)
		return errf(err, errlen, "memfd_create: %s", strerror(errno));
	x->spec.stdout_fd = o->out;
	x->spec.stderr_fd = o->err;
	if (sbx_run(&x->spec, res, 1, err, errlen) < 0)
		return -1;
	if (map_fd(o->out, &o->odata, &o->olen, err, errlen) < 0 ||
	    map_fd(o->err, &o->edata, &o->elen, err, errlen) < 0)
		return -1;
	return 0;
}

void helper_output_free(struct helper_output *o)
{
	if (o->odata)
		unmap_fd(o->odata, o->olen);
	if (o->edata)
		unmap_fd(o->edata, o->elen);
	if (o->out >= 0)
		close(o->out);
	if (o->err >= 0)
		close(o->err);
	*o = (struct helper_output){.out = -1, .err = -1};
}

bool helper_failed(const struct helper *h, const char *name, const struct sbx_result *res,
		   double time, long memory_kib, const char *stderr_text, size_t stderr_len,
		   bool any_exit, char *buf, size_t buflen)
{
	char fb[256] = "";
	if (!res->started)
		snprintf(buf, buflen, "%s could not be started", name);
	else if (res->tle)
		snprintf(buf, buflen, "%s timed out (> %g seconds)", name, time);
	else if (res->mle)
		snprintf(buf, buflen, "%s ran out of memory (> %ld KB)", name, memory_kib);
	else if (res->ole)
		snprintf(buf, buflen, "%s wrote more output than it may", name);
	else if (res->denied)
		snprintf(buf, buflen, "%s was stopped by the sandbox: %s", name, res->feedback);
	else if (res->signal || (any_exit && res->exited && res->exit_code)) {
		if (h && h->exe && stderr_text)
			executor_feedback(h->exe, stderr_text, stderr_len, fb, sizeof(fb));
		if (res->signal)
			snprintf(buf, buflen, "%s exited with %s%s%s", name, strsignal(res->signal),
				 fb[0] ? " with feedback " : "", fb);
		else
			snprintf(buf, buflen, "%s exited with nonzero code %d%s%s", name,
				 res->exit_code, fb[0] ? " with feedback " : "", fb);
	} else
		return false;
	return true;
}
