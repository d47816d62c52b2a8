/*
 * Interpreters that run the source as it is: PERL, NODEJS, TCL, BASH, AWK
 * and SED, with DMOJ's keys, runtime names and command lines.
 *
 * As with DMOJ's script executors there is no compile step (and so no
 * compile message): the source is written as <problem>.<ext> in the
 * working folder and the interpreter runs it, `perl -Mre=eval`, `awk -f`
 * and `sed -f` as DMOJ runs them. Where a problem is unbuffered, the
 * interpreters that buffer a pipe and have a switch for it get it: sed -u,
 * mawk -W interactive, Perl's PERLIO=:unix; bash's builtins and Node write
 * at once anyway; Tcl buffers (as under DMOJ) until the program flushes.
 *
 * Each interpreter has its own policy (what it reads, whether it needs
 * threads), next to its definition below.
 */
#include <stdlib.h>
#include <string.h>

#include "executors/internal.h"

/* How an interpreter is called: the arguments before the source (for an
 * unbuffered problem, unbuffered_args instead), and its environment. */
struct script_cmd {
	const char *key;
	const char *args[3];
	const char *unbuffered_args[3];
	const char *env[2];	       /* always */
	const char *unbuffered_env[2]; /* for an unbuffered problem */
};

static const struct script_cmd commands[] = {
    /* re=eval: (?{ }) in run-time patterns, which DMOJ allows */
    {"PERL", {"-Mre=eval"}, {"-Mre=eval"}, {NULL}, {"PERLIO=:unix"}},
    /* io_uring is refused by the sandbox anyway; libuv should not try */
    {"NODEJS", {NULL}, {NULL}, {"UV_USE_IO_URING=0"}, {NULL}},
    {"TCL", {NULL}, {NULL}, {NULL}, {NULL}},
    {"BASH", {NULL}, {NULL}, {NULL}, {NULL}},
    {"AWK", {"-f"}, {"-W", "interactive", "-f"}, {NULL}, {NULL}},
    {"SED", {"-f"}, {"-u", "-f"}, {NULL}, {NULL}},
};

static const struct script_cmd *command_of(const struct executor_def *d)
{
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (!strcmp(commands[i].key, d->key))
			return &commands[i];
	return &commands[ARRAY_LEN(commands) - 1];
}

/* mawk's -W interactive is its own; gawk and others would take it for an
 * unknown option, so they run as for a buffered problem. */
static bool is_mawk(const struct executor *e)
{
	const char *base = strrchr(e->realpath, '/');
	return base && !strncmp(base + 1, "mawk", 4);
}

static void push_all(char ***v, size_t *n, size_t *cap, const char *const *items, size_t max)
{
	for (size_t i = 0; i < max && items[i]; i++)
		strv_push(v, n, cap, items[i]);
}

static int script_prepare(const struct executor *e, const struct compile_request *req,
			  struct program *out, char *err, size_t errlen)
{
	const struct script_cmd *c = command_of(e->def);
	char *stem = executor_stem(req->name);
	char *src = xasprintf("%s.%s", stem, e->def->ext);
	int ret = PREPARE_INTERNAL;
	if (executor_write_sources(e, req, src, err, errlen) < 0)
		goto out;
	bool unbuffered = req->unbuffered && (strcmp(c->key, "AWK") || is_mawk(e));
	char **argv = NULL;
	size_t n = 0, cap = 0;
	strv_push(&argv, &n, &cap, e->path);
	if (unbuffered)
		push_all(&argv, &n, &cap, c->unbuffered_args, ARRAY_LEN(c->unbuffered_args));
	else
		push_all(&argv, &n, &cap, c->args, ARRAY_LEN(c->args));
	strv_push(&argv, &n, &cap, src);
	out->path = xstrdup(e->path);
	out->argv = argv;
	out->envp = executor_run_env(e, req->dir, req->unbuffered);
	size_t envn = 0, envcap = 0;
	while (out->envp[envn])
		envn++;
	envcap = envn + 1;
	push_all(&out->envp, &envn, &envcap, c->env, ARRAY_LEN(c->env));
	if (req->unbuffered)
		push_all(&out->envp, &envn, &envcap, c->unbuffered_env,
			 ARRAY_LEN(c->unbuffered_env));
	ret = PREPARE_OK;
out:
	free(src);
	free(stem);
	return ret;
}

/* ---- Perl ---- */

/* Its configuration and the module trees of its @INC (the architecture-
 * dependent ones are under /usr/lib, in the base rules). */
static const struct sbx_fs_rule perl_rules[] = {
    {SBX_TREE, "/etc/perl", false},
    {SBX_TREE, "/usr/share/perl", false},
    {SBX_TREE, "/usr/share/perl5", false},
    {SBX_TREE, "/usr/local/share/perl", false},
    {SBX_TREE, "/usr/local/lib/x86_64-linux-gnu/perl", false},
    {SBX_TREE, "/usr/local/lib/site_perl", false},
};

static const struct family_ops perl_ops = {
    .version_flag = "--version",
    .prepare = script_prepare,
    .run_rules = perl_rules,
    .nrun_rules = ARRAY_LEN(perl_rules),
    .max_threads = 1,
};

/* ---- Node.js ---- */

/* OpenSSL's configuration, read at start-up. */
static const struct sbx_fs_rule node_rules[] = {
    {SBX_FILE, "/usr/lib/ssl/openssl.cnf", false},
};
/* libuv's event loop (epoll, an eventfd to wake it, pipes), V8's memory
 * protection keys for its code, and capget from its start-up check of
 * its own capabilities. */
static const char *const node_syscalls[] = {
    "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",	 "eventfd2",
    "pipe2",	     "capget",	  "pkey_alloc", "pkey_mprotect", "pkey_free",
};

/* V8's platform workers and libuv's thread pool: about ten threads. */
static const struct family_ops node_ops = {
    .version_flag = "--version",
    .prepare = script_prepare,
    .run_rules = node_rules,
    .nrun_rules = ARRAY_LEN(node_rules),
    .run_syscalls = node_syscalls,
    .nrun_syscalls = ARRAY_LEN(node_syscalls),
    .max_threads = 32,
};

/* ---- Tcl ---- */

/* init.tcl and the script library. */
static const struct sbx_fs_rule tcl_rules[] = {
    {SBX_TREE, "/usr/share/tcltk", false},
    {SBX_TREE, "/usr/share/tcl", false},
};
/* The notifier thread wakes the main one through a pipe; at start Tcl
 * asks whether its standard channels are sockets. */
static const char *const tcl_syscalls[] = {"pipe", "pipe2", "getsockname"};
/* Tcl and bash look up their user's name: the C library asks nscd over a
 * local socket first, and copes with a refusal. */
static const char *const user_lookup_refused[] = {"socket"};

static const struct family_ops tcl_ops = {
    .version_input = "puts $tcl_version\n",
    .prepare = script_prepare,
    .run_rules = tcl_rules,
    .nrun_rules = ARRAY_LEN(tcl_rules),
    .run_syscalls = tcl_syscalls,
    .nrun_syscalls = ARRAY_LEN(tcl_syscalls),
    .refused_syscalls = user_lookup_refused,
    .nrefused_syscalls = ARRAY_LEN(user_lookup_refused),
    .max_threads = 8,
};

/* ---- bash ---- */

/* DMOJ's shell may run cat, grep, awk and perl: its only programs (the
 * library trees it reads are not); perl's modules are read. */
static const char *const bash_commands[] = {"/usr/bin/cat", "/usr/bin/grep", "/usr/bin/awk",
					    "/usr/bin/perl"};
static const struct sbx_fs_rule bash_rules[] = {
    {SBX_TREE, "/etc/perl", false},
    {SBX_TREE, "/usr/share/perl", false},
    {SBX_TREE, "/usr/share/perl5", false},
};
/* Pipelines and waiting for them; read-ahead advice on the script; cat
 * copies between its descriptors in the kernel. */
static const char *const bash_syscalls[] = {"pipe",	 "pipe2",	    "wait4",   "waitid",
					    "fadvise64", "copy_file_range", "sendfile"};

static const struct family_ops bash_ops = {
    .version_flag = "--version",
    .prepare = script_prepare,
    .run_rules = bash_rules,
    .nrun_rules = ARRAY_LEN(bash_rules),
    .run_syscalls = bash_syscalls,
    .nrun_syscalls = ARRAY_LEN(bash_syscalls),
    .refused_syscalls = user_lookup_refused,
    .nrefused_syscalls = ARRAY_LEN(user_lookup_refused),
    /* processes of a pipeline count against this */
    .max_threads = 32,
    .processes = true,
    .run_exec = bash_commands,
    .nrun_exec = ARRAY_LEN(bash_commands),
};

/* ---- awk and sed ---- */

/* mawk answers -Wversion, gawk takes it for --version */
static const struct family_ops awk_ops = {
    .version_flag = "-Wversion",
    .prepare = script_prepare,
    .max_threads = 1,
};

/* GNU sed asks statfs whether its input is on a special file system */
static const char *const sed_syscalls[] = {"statfs", "fstatfs"};

static const struct family_ops sed_ops = {
    .version_flag = "--version",
    .run_syscalls = sed_syscalls,
    .nrun_syscalls = ARRAY_LEN(sed_syscalls),
    .prepare = script_prepare,
    .max_threads = 1,
};

static const char *const search_perl[] = {"perl", NULL};
static const char *const search_node[] = {"node", "nodejs", NULL};
static const char *const search_tcl[] = {"tclsh", NULL};
static const char *const search_bash[] = {"bash", NULL};
static const char *const search_awk[] = {"mawk", "gawk", "awk", NULL};
static const char *const search_sed[] = {"sed", NULL};

static const char echo_node[] = "process.stdin.on('readable', () => {\n"
				"    const chunk = process.stdin.read();\n"
				"    if (chunk !== null)\n"
				"        process.stdout.write(chunk);\n"
				"});\n";

/* Address-space grace: DMOJ's. Node's V8 reserves a gigabyte it does not
 * touch; Tcl's threads reserve their stacks. */
const struct executor_def script_executors[] = {
    {"PERL", "perl", search_perl, "pl", NULL, "print<>", 65536, &perl_ops, NULL, 0, NULL, 0},
    {"NODEJS", "node", search_node, "js", NULL, echo_node, 1048576, &node_ops, NULL, 0, NULL, 0},
    {"TCL", "tclsh", search_tcl, "tcl", NULL, "gets stdin input\nputs $input\n", 131072, &tcl_ops,
     NULL, 0, NULL, 0},
    {"BASH", "bash", search_bash, "sh", NULL, "exec cat\n", 65536, &bash_ops, NULL, 0, NULL, 0},
    {"AWK", "awk", search_awk, "awk", NULL, "{ print $0 }\n", 65536, &awk_ops, NULL, 0, NULL, 0},
    {"SED", "sed", search_sed, "sed", NULL, "s/^//\n", 65536, &sed_ops, NULL, 0, NULL, 0},
};
const size_t script_executors_count = ARRAY_LEN(script_executors);
