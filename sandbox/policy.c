/*
 * File-system and system-call policies: what a kind of program may touch.
 *
 * Executors declare their runtime's needs as static rule tables; the
 * grader adds the dynamic parts (the working folder). A policy is plain
 * data so that it can be reviewed in one place and applied by every layer
 * (ptrace path checks, Landlock rules) the same way.
 *
 * Rule paths are made canonical when the policy is compiled, because the
 * tracer compares canonical paths: on a merged-/usr system "/lib" is
 * "/usr/lib" by the time a call reaches it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"
#include "sandbox/internal.h"

struct sbx_policy *sbx_policy_new(const char *name)
{
	struct sbx_policy *p = xcalloc(1, sizeof(*p));
	p->name = xstrdup(name);
	p->max_threads = 1;
	return p;
}

void sbx_policy_free(struct sbx_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++)
		free(p->rules[i].path);
	free(p->rules);
	for (size_t i = 0; i < p->nsyscalls; i++)
		free(p->syscalls[i]);
	free(p->syscalls);
	for (size_t i = 0; i < p->nrefused; i++)
		free(p->refused[i]);
	free(p->refused);
	free(p->name);
	sbx_compiled_free(p->compiled);
	free(p);
}

/* A change after compiling (the working folder added to a copy) makes the
 * compiled form stale. */
static void invalidate(struct sbx_policy *p)
{
	sbx_compiled_free(p->compiled);
	p->compiled = NULL;
}

static void add_rule(struct sbx_policy *p, enum sbx_fs_kind kind, const char *path, bool write,
		     bool exec)
{
	invalidate(p);
	XGROW(p->rules, p->rules_cap, p->nrules + 1);
	struct policy_rule *r = &p->rules[p->nrules++];
	r->kind = kind;
	r->path = xstrdup(path);
	r->write = write;
	r->exec = exec;
}

void sbx_policy_add(struct sbx_policy *p, enum sbx_fs_kind kind, const char *path, bool write)
{
	add_rule(p, kind, path, write, false);
}

void sbx_policy_add_exec(struct sbx_policy *p, enum sbx_fs_kind kind, const char *path)
{
	add_rule(p, kind, path, false, true);
}

void sbx_policy_add_rules(struct sbx_policy *p, const struct sbx_fs_rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sbx_policy_add(p, rules[i].kind, rules[i].path, rules[i].write);
}

void sbx_policy_allow_syscalls(struct sbx_policy *p, const char *const *names, size_t n)
{
	invalidate(p);
	for (size_t i = 0; i < n; i++) {
		XGROW(p->syscalls, p->syscalls_cap, p->nsyscalls + 1);
		p->syscalls[p->nsyscalls++] = xstrdup(names[i]);
	}
}

void sbx_policy_refuse_syscalls(struct sbx_policy *p, const char *const *names, size_t n)
{
	invalidate(p);
	for (size_t i = 0; i < n; i++) {
		XGROW(p->refused, p->refused_cap, p->nrefused + 1);
		p->refused[p->nrefused++] = xstrdup(names[i]);
	}
}

void sbx_policy_set_threads(struct sbx_policy *p, int max_threads)
{
	invalidate(p);
	p->max_threads = max_threads;
}

void sbx_policy_set_processes(struct sbx_policy *p, bool fork_allowed, bool exec_allowed)
{
	invalidate(p);
	p->fork_allowed = fork_allowed;
	p->exec_allowed = exec_allowed;
}

void sbx_policy_set_kill_on_denied(struct sbx_policy *p, bool kill)
{
	p->kill_on_denied = kill;
}

struct sbx_policy *sbx_policy_copy(const struct sbx_policy *src)
{
	struct sbx_policy *p = sbx_policy_new(src->name);
	for (size_t i = 0; i < src->nrules; i++)
		add_rule(p, src->rules[i].kind, src->rules[i].path, src->rules[i].write,
			 src->rules[i].exec);
	sbx_policy_allow_syscalls(p, (const char *const *)src->syscalls, src->nsyscalls);
	sbx_policy_refuse_syscalls(p, (const char *const *)src->refused, src->nrefused);
	p->max_threads = src->max_threads;
	p->fork_allowed = src->fork_allowed;
	p->exec_allowed = src->exec_allowed;
	p->kill_on_denied = src->kill_on_denied;
	return p;
}

/* Is a the folder b or below it? */
static bool under(const char *a, const char *b)
{
	size_t n = strlen(b);
	if (n == 1 && b[0] == '/')
		return true;
	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '/');
}

static bool rule_allows(const struct policy_rule *r, const char *path, int access)
{
	if (access & ACC_META) {
		/* looking at the folders leading to an allowed path (realpath,
		 * getcwd, the loader's search) reveals nothing */
		if (under(r->path, path))
			return true;
		access = ACC_READ;
	}
	if ((access & ACC_WRITE) && !r->write)
		return false;
	/* what may be read is not therefore a program: execution has its
	 * own list (a library tree holds loaders, compilers, git...) */
	if ((access & ACC_EXEC) && !r->exec)
		return false;
	switch (r->kind) {
	case SBX_FILE:
		return !strcmp(path, r->path);
	case SBX_DIR:
		return !strcmp(path, r->path) && !(access & ACC_EXEC);
	case SBX_TREE:
		return under(path, r->path);
	}
	return false;
}

bool sbx_policy_allows(const struct sbx_policy *p, const char *path, int access)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (rule_allows(&p->rules[i], path, access))
			return true;
	return false;
}

int sbx_policy_compile(struct sbx_policy *p, char *err, size_t errlen)
{
	if (p->compiled)
		return 0;
	for (size_t i = 0; i < p->nrules; i++) {
		char real[PATH_MAX];
		if (p->rules[i].path[0] != '/')
			return errf(err, errlen, "policy %s: path %s is not absolute", p->name,
				    p->rules[i].path);
		/* /proc/self is the child's, resolved by the child */
		if (strncmp(p->rules[i].path, "/proc/self/", 11) &&
		    realpath(p->rules[i].path, real) && strcmp(real, p->rules[i].path)) {
			free(p->rules[i].path);
			p->rules[i].path = xstrdup(real);
		}
	}
	struct sbx_compiled *c = xcalloc(1, sizeof(*c));
	for (int i = 0; i < 2; i++) {
		if (sbx_filter_build(p, i == 1, &c->bpf[i], err, errlen) < 0) {
			sbx_compiled_free(c);
			return -1;
		}
	}
	sbx_landlock_prepare(p, c);
	p->compiled = c;
	return 0;
}
