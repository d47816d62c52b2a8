/*
 * Problem discovery: problem_storage_globs -> problem codes and folders.
 *
 * A glob names folders to search; `**` matches any number of folders
 * (zero included), `*`, `?` and `[...]` work within one path component.
 * Every matched folder that holds an init.yml is a problem, and so is every
 * direct sub-folder of a matched folder that holds one; the folder's base
 * name is the problem code. Symbolic links to folders are followed (sites
 * link shared data in), with a visited set so that a link loop ends.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/common.h"
#include "problems/problems.h"

#define MAX_DEPTH 32

struct walk {
	char **pat; /* pattern components */
	size_t npat;
	struct problem_index *out;
	dev_t *devs;
	ino_t *inos;
	size_t nvisited, cap;
};

static char **split_path(const char *p, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	char *copy = xstrdup(p), *save = NULL;
	for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		XGROW(v, cap, *n + 2);
		v[(*n)++] = xstrdup(tok);
	}
	free(copy);
	XGROW(v, cap, *n + 1);
	v[*n] = NULL;
	return v;
}

/* Does the path (components) match the pattern (components)? */
static bool match(char **pat, size_t np, char **path, size_t nq)
{
	if (np == 0)
		return nq == 0;
	if (!strcmp(pat[0], "**")) {
		for (size_t skip = 0; skip <= nq; skip++)
			if (match(pat + 1, np - 1, path + skip, nq - skip))
				return true;
		return false;
	}
	if (nq == 0)
		return false;
	if (fnmatch(pat[0], path[0], FNM_PERIOD) != 0)
		return false;
	return match(pat + 1, np - 1, path + 1, nq - 1);
}

/* Could some extension of this path still match? Prunes the walk. */
static bool may_match(char **pat, size_t np, char **path, size_t nq)
{
	if (nq == 0)
		return true;
	if (np == 0)
		return false;
	if (!strcmp(pat[0], "**"))
		return true;
	if (fnmatch(pat[0], path[0], FNM_PERIOD) != 0)
		return false;
	return may_match(pat + 1, np - 1, path + 1, nq - 1);
}

static bool has_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static void add_problem(struct problem_index *idx, const char *dir)
{
	char *init = path_join(dir, "init.yml");
	struct stat st;
	bool ok = stat(init, &st) == 0 && S_ISREG(st.st_mode);
	free(init);
	if (!ok || stat(dir, &st) != 0)
		return;
	const char *base = strrchr(dir, '/');
	base = base ? base + 1 : dir;
	if (!*base)
		return;
	char *real = realpath(dir, NULL);
	for (size_t i = 0; i < idx->n; i++) {
		if (strcmp(idx->items[i].code, base))
			continue;
		if (real && strcmp(idx->items[i].dir, real))
			log_warn("problem %s found in both %s and %s; using the first", base,
				 idx->items[i].dir, real);
		free(real);
		return;
	}
	XGROW(idx->items, idx->cap, idx->n + 1);
	struct problem_entry *e = &idx->items[idx->n++];
	e->code = xstrdup(base);
	e->dir = real ? real : xstrdup(dir);
	e->mtime = (double)st.st_mtim.tv_sec + (double)st.st_mtim.tv_nsec / 1e9;
}

static void found_folder(struct walk *w, const char *dir)
{
	add_problem(w->out, dir);
	/* sorted, so "the first wins" means the same on every scan */
	char **names = list_dir(dir, NULL);
	for (size_t i = 0; names && names[i]; i++) {
		if (names[i][0] == '.')
			continue;
		char *sub = path_join(dir, names[i]);
		if (is_dir(sub))
			add_problem(w->out, sub);
		free(sub);
	}
	strv_free(names);
}

static bool visited(struct walk *w, const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return true;
	for (size_t i = 0; i < w->nvisited; i++)
		if (w->devs[i] == st.st_dev && w->inos[i] == st.st_ino)
			return true;
	size_t cap = w->cap;
	XGROW(w->devs, cap, w->nvisited + 1);
	XGROW(w->inos, w->cap, w->nvisited + 1);
	w->devs[w->nvisited] = st.st_dev;
	w->inos[w->nvisited++] = st.st_ino;
	return false;
}

/* dir is the folder at path components comps[0..n) below the walk's root. */
static void walk_dir(struct walk *w, const char *dir, char **comps, size_t n, size_t base)
{
	if (n - base > MAX_DEPTH || visited(w, dir))
		return;
	if (match(w->pat + base, w->npat - base, comps + base, n - base))
		found_folder(w, dir);
	char **names = list_dir(dir, NULL);
	for (size_t i = 0; names && names[i]; i++) {
		comps[n] = names[i];
		if (!may_match(w->pat + base, w->npat - base, comps + base, n + 1 - base))
			continue;
		char *sub = path_join(dir, names[i]);
		if (is_dir(sub))
			walk_dir(w, sub, comps, n + 1, base);
		free(sub);
	}
	strv_free(names);
}

int problem_discover(char *const *globs, struct problem_index *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	for (size_t g = 0; globs && globs[g]; g++) {
		const char *glob = globs[g];
		if (!*glob)
			return errf(err, errlen, "problem_storage_globs: empty glob");
		struct walk w = {0};
		w.out = out;
		w.pat = split_path(glob, &w.npat);
		/* the walk starts at the longest leading part without wildcards */
		size_t fixed = 0;
		while (fixed < w.npat && !has_magic(w.pat[fixed]))
			fixed++;
		struct strbuf root = STRBUF_INIT;
		if (glob[0] == '/')
			sb_addc(&root, '/');
		for (size_t i = 0; i < fixed; i++) {
			if (i)
				sb_addc(&root, '/');
			sb_adds(&root, w.pat[i]);
		}
		if (!root.len)
			sb_adds(&root, ".");
		char **comps = xcalloc(w.npat + MAX_DEPTH + 2, sizeof(char *));
		for (size_t i = 0; i < fixed; i++)
			comps[i] = w.pat[i];
		if (is_dir(root.buf))
			walk_dir(&w, root.buf, comps, fixed, fixed);
		else
			log_warn("problem_storage_globs: %s matches no folder (%s does not exist)",
				 glob, root.buf);
		free(comps);
		sb_free(&root);
		strv_free(w.pat);
		free(w.devs);
		free(w.inos);
	}
	return 0;
}

const struct problem_entry *problem_index_find(const struct problem_index *idx, const char *code)
{
	for (size_t i = 0; i < idx->n; i++)
		if (!strcmp(idx->items[i].code, code))
			return &idx->items[i];
	return NULL;
}

void problem_index_free(struct problem_index *idx)
{
	for (size_t i = 0; i < idx->n; i++) {
		free(idx->items[i].code);
		free(idx->items[i].dir);
	}
	free(idx->items);
	memset(idx, 0, sizeof(*idx));
}
