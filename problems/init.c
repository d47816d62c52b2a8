/*
 * init.yml -> struct problem.
 *
 * Keys inherit downwards the way DMOJ's ConfigNode does: a case that does
 * not set a key takes it from its batch, then from the top of the file; a
 * key set to null is not inherited. Every key the judge does not know is an
 * error naming it, so that a problem is never graded with a setting
 * silently ignored.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/common.h"
#include "problems/problems.h"

#define ERRLEN 512

/* Keys allowed at the top of init.yml. Case-level keys are allowed there
 * too (they are defaults for every case). */
static const char *const top_keys[] = {
    "test_cases",	"pretest_test_cases", "archive",      "generator", "interactive",
    "signature_grader", "custom_judge",	      "unbuffered",   "symlinks",  "hints",
    "file_io",		"short_circuit",      "dependencies",
};
static const char *const case_keys[] = {
    "in",
    "out",
    "points",
    "checker",
    "output_prefix_length",
    "output_limit_length",
    "wall_time_factor",
    "binary_data",
    "generator_args",
    "generator_in",
    "short_circuit",
    "symlinks",
};
static const char *const batch_keys[] = {"batched", "dependencies"};

static bool in_list(const char *k, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(k, list[i]))
			return true;
	return false;
}

struct ctx {
	struct yml y;
	struct problem *p;
	bool signature;
	char *err;
	size_t errlen;
};

/* The chain of mappings a case's keys are looked up in, innermost first. */
struct chain {
	yaml_node_t *nodes[3];
	size_t n;
};

/* The value of key for this chain, or NULL if no level sets it. A level
 * that sets it to null stops the search (null is not inherited). */
static yaml_node_t *lookup(struct ctx *c, const struct chain *ch, const char *key)
{
	for (size_t i = 0; i < ch->n; i++) {
		yaml_node_t *v = yml_get(&c->y, ch->nodes[i], key);
		if (v)
			return yml_is_null(v) ? NULL : v;
	}
	return NULL;
}

static int check_keys(struct ctx *c, yaml_node_t *map, bool top, bool batch, const char *where)
{
	for (size_t i = 0; i < yml_map_len(map); i++) {
		yaml_node_t *k, *v;
		yml_map_at(&c->y, map, i, &k, &v);
		const char *s = yml_str(k);
		if (!s)
			return yml_err(&c->y, k, NULL, c->err, c->errlen, "%s: a key is not text",
				       where);
		if (!strcmp(s, "<<"))
			continue;
		if (in_list(s, case_keys, ARRAY_LEN(case_keys)))
			continue;
		if (top && in_list(s, top_keys, ARRAY_LEN(top_keys)))
			continue;
		if (batch && in_list(s, batch_keys, ARRAY_LEN(batch_keys)))
			continue;
		if (!top && !strcmp(s, "batched"))
			return yml_err(&c->y, k, s, c->err, c->errlen, "nested batches");
		if (s[strlen(s) - 1] == '+')
			return yml_err(&c->y, k, s, c->err, c->errlen,
				       "Python-evaluated keys (`key+`/`key++`) are not supported");
		return yml_err(&c->y, k, s, c->err, c->errlen, "unsupported key in %s", where);
	}
	return 0;
}

static int get_string(struct ctx *c, const struct chain *ch, const char *key, char **out)
{
	yaml_node_t *v = lookup(c, ch, key);
	*out = NULL;
	if (!v)
		return 0;
	const char *s;
	if (yml_to_string(&c->y, v, key, &s, c->err, c->errlen) < 0)
		return -1;
	*out = xstrdup(s);
	return 0;
}

static int get_double(struct ctx *c, const struct chain *ch, const char *key, double def,
		      double *out)
{
	yaml_node_t *v = lookup(c, ch, key);
	*out = def;
	return v ? yml_to_double(&c->y, v, key, out, c->err, c->errlen) : 0;
}

static int get_long(struct ctx *c, const struct chain *ch, const char *key, long def, long *out)
{
	yaml_node_t *v = lookup(c, ch, key);
	*out = def;
	if (!v)
		return 0;
	if (yml_to_long(&c->y, v, key, out, c->err, c->errlen) < 0)
		return -1;
	if (*out < 0)
		return yml_err(&c->y, v, key, c->err, c->errlen, "must not be negative");
	return 0;
}

static int get_bool(struct ctx *c, const struct chain *ch, const char *key, bool def, bool *out)
{
	yaml_node_t *v = lookup(c, ch, key);
	*out = def;
	return v ? yml_to_bool(&c->y, v, key, out, c->err, c->errlen) : 0;
}

static int parse_checker(struct ctx *c, const struct chain *ch, struct problem_checker *out)
{
	yaml_node_t *v = lookup(c, ch, "checker");
	if (!v) {
		out->name = xstrdup("standard");
		out->args = json_object();
		return 0;
	}
	if (yml_is_scalar(v)) {
		out->name = xstrdup(yml_str(v));
		out->args = json_object();
		return 0;
	}
	if (!yml_is_map(v))
		return yml_err(&c->y, v, "checker", c->err, c->errlen,
			       "expected a name or {name: ..., args: {...}}");
	for (size_t i = 0; i < yml_map_len(v); i++) {
		yaml_node_t *k, *x;
		yml_map_at(&c->y, v, i, &k, &x);
		const char *s = yml_str(k);
		if (!s || (strcmp(s, "name") && strcmp(s, "args")))
			return yml_err(&c->y, k, "checker", c->err, c->errlen,
				       "unsupported member `%s` (only name and args)", s ? s : "?");
	}
	const char *name;
	if (yml_to_string(&c->y, yml_get(&c->y, v, "name"), "checker.name", &name, c->err,
			  c->errlen) < 0)
		return -1;
	yaml_node_t *args = yml_get(&c->y, v, "args");
	if (args && !yml_is_null(args) && !yml_is_map(args))
		return yml_err(&c->y, args, "checker.args", c->err, c->errlen,
			       "expected a mapping of argument names to values");
	out->name = xstrdup(name);
	out->args = args && !yml_is_null(args) ? yml_to_json(&c->y, args) : json_object();
	return 0;
}

static int parse_case(struct ctx *c, const struct chain *ch, yaml_node_t *node,
		      struct problem_case *pc)
{
	pc->line = yml_line(node);
	if (get_string(c, ch, "in", &pc->in) < 0 || get_string(c, ch, "out", &pc->out) < 0 ||
	    get_double(c, ch, "points", 1, &pc->points) < 0 ||
	    get_long(c, ch, "output_prefix_length", c->signature ? 0 : 64,
		     &pc->output_prefix_length) < 0 ||
	    get_long(c, ch, "output_limit_length", 25165824, &pc->output_limit_length) < 0 ||
	    get_double(c, ch, "wall_time_factor", 3, &pc->wall_time_factor) < 0 ||
	    get_bool(c, ch, "binary_data", false, &pc->binary_data) < 0 ||
	    get_string(c, ch, "generator_in", &pc->generator_in) < 0 ||
	    parse_checker(c, ch, &pc->checker) < 0)
		return -1;
	if (pc->wall_time_factor <= 0)
		return yml_err(&c->y, lookup(c, ch, "wall_time_factor"), "wall_time_factor", c->err,
			       c->errlen, "must be positive");
	yaml_node_t *ga = lookup(c, ch, "generator_args");
	if (ga) {
		if (!yml_is_seq(ga) && !yml_is_scalar(ga))
			return yml_err(&c->y, ga, "generator_args", c->err, c->errlen,
				       "expected a list of arguments");
		pc->generator_args = yml_to_json(&c->y, ga);
	}
	return 0;
}

static void free_case(struct problem_case *pc)
{
	free(pc->in);
	free(pc->out);
	free(pc->checker.name);
	json_decref(pc->checker.args);
	json_decref(pc->generator_args);
	free(pc->generator_in);
}

static void free_tests(struct problem_tests *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct problem_unit *u = &t->units[i];
		for (size_t j = 0; j < u->ncases; j++)
			free_case(&u->cases[j]);
		free(u->cases);
		free(u->deps);
	}
	free(t->units);
	memset(t, 0, sizeof(*t));
}

static int parse_deps(struct ctx *c, yaml_node_t *v, struct problem_unit *u)
{
	if (!v || yml_is_null(v))
		return 0;
	if (!yml_is_seq(v))
		return yml_err(&c->y, v, "dependencies", c->err, c->errlen,
			       "expected a list of batch numbers");
	u->ndeps = yml_seq_len(v);
	u->deps = xcalloc(u->ndeps ? u->ndeps : 1, sizeof(int));
	for (size_t i = 0; i < u->ndeps; i++) {
		yaml_node_t *e = yml_seq_at(&c->y, v, i);
		long d;
		if (yml_to_long(&c->y, e, "dependencies", &d, c->err, c->errlen) < 0)
			return -1;
		if (d < 1)
			return yml_err(&c->y, e, "dependencies", c->err, c->errlen,
				       "batch numbers start at 1, got %ld", d);
		if (d >= u->batch_no)
			return yml_err(
			    &c->y, e, "dependencies", c->err, c->errlen,
			    "batch %d depends on batch %ld, which is not an earlier batch",
			    u->batch_no, d);
		u->deps[i] = (int)d;
	}
	return 0;
}

/* key is "test_cases" or "pretest_test_cases"; *batches counts batches
 * across both lists (pretest batches first), as DMOJ numbers them. */
static int parse_tests(struct ctx *c, yaml_node_t *root, const char *key, struct problem_tests *t,
		       int *batches)
{
	yaml_node_t *list = yml_get(&c->y, root, key);
	memset(t, 0, sizeof(*t));
	if (!list || yml_is_null(list))
		return 0;
	if (yml_is_map(list))
		return yml_err(&c->y, list, key, c->err, c->errlen,
			       "deriving cases from archive file names is not supported yet");
	if (!yml_is_seq(list))
		return yml_err(&c->y, list, key, c->err, c->errlen,
			       "expected a list of cases and batches");
	size_t n = yml_seq_len(list);
	t->units = xcalloc(n ? n : 1, sizeof(*t->units));
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *item = yml_seq_at(&c->y, list, i);
		struct problem_unit *u = &t->units[t->n++];
		u->line = yml_line(item);
		if (!yml_is_map(item))
			return yml_err(&c->y, item, key, c->err, c->errlen,
				       "item %zu is not a mapping of case keys", i + 1);
		yaml_node_t *batched = yml_get(&c->y, item, "batched");
		struct chain ch = {{item, root}, 2};
		if (!batched) {
			if (yml_get(&c->y, item, "dependencies"))
				return yml_err(&c->y, item, "dependencies", c->err, c->errlen,
					       "only batches can have dependencies");
			if (check_keys(c, item, false, false, "a test case") < 0)
				return -1;
			u->ncases = 1;
			u->cases = xcalloc(1, sizeof(*u->cases));
			if (parse_case(c, &ch, item, &u->cases[0]) < 0)
				return -1;
			u->points = u->cases[0].points;
			continue;
		}
		u->batched = true;
		u->batch_no = ++*batches;
		if (check_keys(c, item, false, true, "a batch") < 0)
			return -1;
		if (!yml_is_seq(batched) || !yml_seq_len(batched))
			return yml_err(&c->y, batched, "batched", c->err, c->errlen,
				       "expected a non-empty list of cases");
		if (get_double(c, &ch, "points", 1, &u->points) < 0 ||
		    parse_deps(c, yml_get(&c->y, item, "dependencies"), u) < 0)
			return -1;
		u->ncases = yml_seq_len(batched);
		u->cases = xcalloc(u->ncases, sizeof(*u->cases));
		for (size_t j = 0; j < u->ncases; j++) {
			yaml_node_t *ci = yml_seq_at(&c->y, batched, j);
			if (!yml_is_map(ci))
				return yml_err(&c->y, ci, "batched", c->err, c->errlen,
					       "case %zu of the batch is not a mapping", j + 1);
			if (yml_get(&c->y, ci, "batched"))
				return yml_err(&c->y, ci, "batched", c->err, c->errlen,
					       "nested batches");
			if (check_keys(c, ci, false, false, "a batched case") < 0)
				return -1;
			struct chain cch = {{ci, item, root}, 3};
			if (parse_case(c, &cch, ci, &u->cases[j]) < 0)
				return -1;
		}
	}
	return 0;
}

static json_t *raw(struct ctx *c, yaml_node_t *root, const char *key)
{
	yaml_node_t *v = yml_get(&c->y, root, key);
	return v && !yml_is_null(v) ? yml_to_json(&c->y, v) : NULL;
}

static int parse_root(struct ctx *c, yaml_node_t *root)
{
	struct problem *p = c->p;
	if (!root || yml_is_null(root))
		return errf(c->err, c->errlen, "%s is empty", c->y.file);
	if (!yml_is_map(root))
		return yml_err(&c->y, root, NULL, c->err, c->errlen,
			       "init.yml must be a mapping of keys to values");
	if (check_keys(c, root, true, false, "init.yml") < 0)
		return -1;
	yaml_node_t *cj = yml_get(&c->y, root, "custom_judge");
	if (cj && !yml_is_null(cj))
		return yml_err(&c->y, cj, "custom_judge", c->err, c->errlen,
			       "custom_judge (Python grader) is not supported");
	c->signature = yml_get(&c->y, root, "signature_grader") != NULL;
	struct chain ch = {{root}, 1};
	char *archive;
	if (get_string(c, &ch, "archive", &archive) < 0)
		return -1;
	if (archive) {
		p->archive = path_join(p->dir, archive);
		free(archive);
		if (!path_exists(p->archive))
			return errf(c->err, c->errlen, "%s: archive file %s does not exist",
				    c->y.file, p->archive);
	}
	if (get_bool(c, &ch, "unbuffered", false, &p->unbuffered) < 0)
		return -1;
	yaml_node_t *hints = yml_get(&c->y, root, "hints");
	if (hints && !yml_is_null(hints) &&
	    yml_to_strv(&c->y, hints, "hints", &p->hints, c->err, c->errlen) < 0)
		return -1;
	p->generator = raw(c, root, "generator");
	p->interactive = raw(c, root, "interactive");
	p->signature_grader = raw(c, root, "signature_grader");
	p->file_io = raw(c, root, "file_io");
	p->symlinks = raw(c, root, "symlinks");
	p->init = yml_to_json(&c->y, root);
	int batches = 0;
	if (parse_tests(c, root, "pretest_test_cases", &p->pretests, &batches) < 0 ||
	    parse_tests(c, root, "test_cases", &p->tests, &batches) < 0)
		return -1;
	p->has_pretests = p->pretests.n > 0;
	if (!p->tests.n && !yml_get(&c->y, root, "test_cases"))
		return errf(c->err, c->errlen, "%s: no `test_cases`: nothing to grade", c->y.file);
	if (!p->tests.n)
		return yml_err(&c->y, yml_get(&c->y, root, "test_cases"), "test_cases", c->err,
			       c->errlen, "the list of cases is empty");
	return 0;
}

int problem_load(const char *code, const char *dir, struct problem **out, char *err, size_t errlen)
{
	struct ctx c = {0};
	c.err = err;
	c.errlen = errlen;
	c.p = xcalloc(1, sizeof(*c.p));
	c.p->code = xstrdup(code);
	c.p->dir = xstrdup(dir);
	c.p->init_path = path_join(dir, "init.yml");
	*out = NULL;
	if (yml_load(&c.y, c.p->init_path, err, errlen) < 0) {
		problem_free(c.p);
		return -1;
	}
	int ret = parse_root(&c, yml_root(&c.y));
	yml_free(&c.y);
	if (ret < 0) {
		problem_free(c.p);
		return -1;
	}
	*out = c.p;
	return 0;
}

void problem_free(struct problem *p)
{
	if (!p)
		return;
	free_tests(&p->tests);
	free_tests(&p->pretests);
	free(p->code);
	free(p->dir);
	free(p->init_path);
	free(p->archive);
	json_decref(p->generator);
	json_decref(p->interactive);
	json_decref(p->signature_grader);
	json_decref(p->file_io);
	json_decref(p->symlinks);
	json_decref(p->init);
	strv_free(p->hints);
	free(p);
}
