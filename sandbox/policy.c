/*
 * File-system and system-call policies: what a kind of program may touch.
 *
 * Executors declare their runtime's needs as static rule tables; the
 * grader adds the dynamic parts (the working folder). A policy is plain
 * data so that it can be reviewed in one place and applied by every layer
 * (ptrace path checks, Landlock rules) the same way.
 */
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
	free(p->name);
	free(p);
}

void sbx_policy_add(struct sbx_policy *p, enum sbx_fs_kind kind, const char *path, bool write)
{
	XGROW(p->rules, p->rules_cap, p->nrules + 1);
	struct policy_rule *r = &p->rules[p->nrules++];
	r->kind = kind;
	r->path = xstrdup(path);
	r->write = write;
}

void sbx_policy_add_rules(struct sbx_policy *p, const struct sbx_fs_rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sbx_policy_add(p, rules[i].kind, rules[i].path, rules[i].write);
}

void sbx_policy_allow_syscalls(struct sbx_policy *p, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		XGROW(p->syscalls, p->syscalls_cap, p->nsyscalls + 1);
		p->syscalls[p->nsyscalls++] = xstrdup(names[i]);
	}
}

void sbx_policy_set_threads(struct sbx_policy *p, int max_threads)
{
	p->max_threads = max_threads;
}

void sbx_policy_set_processes(struct sbx_policy *p, bool fork_allowed, bool exec_allowed)
{
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
		sbx_policy_add(p, src->rules[i].kind, src->rules[i].path, src->rules[i].write);
	sbx_policy_allow_syscalls(p, (const char *const *)src->syscalls, src->nsyscalls);
	p->max_threads = src->max_threads;
	p->fork_allowed = src->fork_allowed;
	p->exec_allowed = src->exec_allowed;
	p->kill_on_denied = src->kill_on_denied;
	return p;
}
