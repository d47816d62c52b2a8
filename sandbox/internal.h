/*
 * Private to the sandbox module: the policy's layout and the pieces the
 * supervisor (run.c) shares with the isolation layers.
 */
#ifndef JUDGE_SANDBOX_INTERNAL_H
#define JUDGE_SANDBOX_INTERNAL_H

#include "sandbox/sandbox.h"

struct policy_rule {
	enum sbx_fs_kind kind;
	char *path;
	bool write;
};

struct sbx_policy {
	char *name;
	struct policy_rule *rules;
	size_t nrules, rules_cap;
	char **syscalls;
	size_t nsyscalls, syscalls_cap;
	int max_threads;
	bool fork_allowed, exec_allowed;
	bool kill_on_denied;
};

#endif
