/*
 * The Java family: JAVA (the newest JDK on the machine, 9 or later) and
 * JAVA17 (a JDK 17), keyed as DMOJ keys them and reported as "javac" with
 * javac's version, as DMOJ reports every Java.
 *
 * A JDK is found as a pair: the compiler javac and the VM java beside it,
 * from the config's runtime block (javac17/java17, or javac/java for
 * JAVA) or else among `javac` on PATH and the JDKs under /usr/lib/jvm,
 * told apart by the JAVA_VERSION of their `release` file.
 *
 * DMOJ's rules for the source: it must declare a `public class` (found
 * after comments and literals are set aside), which names the file; a
 * `package` declaration is refused; both with DMOJ's compile-error
 * messages. The program runs as DMOJ runs it: -Xss128m, -Xmx at the
 * memory limit, the serial collector, VM messages to stderr; without
 * DMOJ's Java agent, so the failure is named from the JVM's own "Exception
 * in thread" line rather than the agent's. The JVM reserves far more
 * address space than it touches, so it has no address-space limit: its
 * heap is bounded by -Xmx and the whole process is judged by its measured
 * peak memory, like every program.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "executors/internal.h"

/* What each Java executor wants of a JDK. */
struct jdk_want {
	const char *key;
	const char *vm_key; /* the VM's runtime key; the compiler's is def->command */
	int major;	    /* 0: the newest, at least 9 */
};

static const struct jdk_want wants[] = {
    {"JAVA", "java", 0},
    {"JAVA17", "java17", 17},
};

static const struct jdk_want *want_of(const struct executor_def *d)
{
	for (size_t i = 0; i < ARRAY_LEN(wants); i++)
		if (!strcmp(wants[i].key, d->key))
			return &wants[i];
	return &wants[0];
}

/* The JDK folder of a binary in its bin/: /usr/lib/jvm/x for .../x/bin/javac. */
static char *jdk_home(const char *binary)
{
	char *home = xstrdup(binary);
	for (int i = 0; i < 2; i++) {
		char *slash = strrchr(home, '/');
		if (slash && slash != home)
			*slash = '\0';
	}
	return home;
}

/* The major version a JDK's release file names ("17.0.15" is 17, "1.8.0"
 * is 8), or 0. */
static int jdk_major(const char *home)
{
	char *path = path_join(home, "release");
	char *data = NULL, err[128];
	int major = 0;
	static const char key[] = "JAVA_VERSION=\"";
	if (read_file(path, 1 << 16, &data, NULL, err, sizeof(err)) == 0) {
		for (const char *line = data; line && !major; line = strchr(line, '\n')) {
			line += *line == '\n';
			if (strncmp(line, key, sizeof(key) - 1))
				continue;
			char *end;
			long n = strtol(line + sizeof(key) - 1, &end, 10);
			if (n == 1 && *end == '.')
				n = strtol(end + 1, NULL, 10);
			major = n > 0 && n < 1000 ? (int)n : -1;
		}
	}
	free(data);
	free(path);
	return major > 0 ? major : 0;
}

/* The VM beside a compiler, if the sandbox user can run it. */
static char *vm_beside(const char *javac_real, char *why, size_t whylen)
{
	char *home = jdk_home(javac_real);
	char *bin = path_join(home, "bin");
	char *vm = path_join(bin, "java");
	free(bin);
	free(home);
	char *real = realpath(vm, NULL);
	bool ok = real && executor_runnable(real, why, whylen);
	if (!real)
		errf(why, whylen, "no java beside %s", javac_real);
	free(real);
	if (!ok) {
		free(vm);
		return NULL;
	}
	return vm;
}

/* From the config: the compiler under the executor's key, the VM under
 * its own key or else beside the compiler. */
static bool locate_configured(struct executor *e, const struct jdk_want *w, char *why,
			      size_t whylen)
{
	const json_t *rt = e->settings->runtime;
	const char *javac = json_string_value(json_object_get(rt, e->def->command));
	const char *java = json_string_value(json_object_get(rt, w->vm_key));
	if (!javac) {
		errf(why, whylen, "no `%s` in the config's runtime block", e->def->command);
		return false;
	}
	char *real = realpath(javac, NULL);
	if (!real || !executor_runnable(real, why, whylen)) {
		if (!real)
			errf(why, whylen, "runtime %s: %s: not found", e->def->command, javac);
		free(real);
		return false;
	}
	if (java) {
		char *vreal = realpath(java, NULL);
		bool ok = vreal && executor_runnable(vreal, why, whylen);
		if (!vreal)
			errf(why, whylen, "runtime %s: %s: not found", w->vm_key, java);
		free(vreal);
		e->companion = ok ? xstrdup(java) : NULL;
	} else {
		e->companion = vm_beside(real, why, whylen);
	}
	free(real);
	if (!e->companion)
		return false;
	e->path = xstrdup(javac);
	return true;
}

/* One JDK found while searching. */
struct jdk {
	char *javac; /* as found (a PATH entry may be a link) */
	int major;
};

/* A compiler the sandbox user can run, and the major version of its JDK. */
static bool consider(const char *javac, struct jdk *out)
{
	char why[ERR_SIZE];
	char *real = realpath(javac, NULL);
	if (!real || !executor_runnable(real, why, sizeof(why))) {
		free(real);
		return false;
	}
	char *home = jdk_home(real);
	out->major = jdk_major(home);
	out->javac = out->major > 0 ? xstrdup(javac) : NULL;
	free(home);
	free(real);
	return out->javac != NULL;
}

/* Without a config: `javac` on PATH (the machine's default JDK, which wins
 * a tie) and every JDK under /usr/lib/jvm that is not a link to another;
 * JAVA takes the newest, a versioned key the first of its version. */
static bool locate_searched(struct executor *e, const struct jdk_want *w, char *why, size_t whylen)
{
	static const char jvm_dir[] = "/usr/lib/jvm";
	struct jdk best = {NULL, 0}, c;
	char *onpath = executor_search_path("javac", why, whylen);
	if (onpath && consider(onpath, &c)) {
		if (w->major ? c.major == w->major : c.major >= 9)
			best = c;
		else
			free(c.javac);
	}
	free(onpath);
	size_t n = 0;
	char **names = list_dir(jvm_dir, &n);
	for (size_t i = 0; i < n; i++) {
		char *home = path_join(jvm_dir, names[i]);
		char *bin = path_join(home, "bin");
		char *javac = path_join(bin, "javac");
		struct stat st;
		bool link = lstat(home, &st) < 0 || S_ISLNK(st.st_mode);
		if (!link && consider(javac, &c)) {
			bool fits = w->major ? c.major == w->major : c.major >= 9;
			if (fits && (!best.javac || (!w->major && c.major > best.major))) {
				free(best.javac);
				best = c;
			} else {
				free(c.javac);
			}
		}
		free(javac);
		free(bin);
		free(home);
	}
	strv_free(names);
	if (!best.javac) {
		if (w->major)
			errf(why, whylen, "no JDK %d found (javac on PATH or under %s)", w->major,
			     jvm_dir);
		else
			errf(why, whylen, "no JDK 9 or later found (javac on PATH or under %s)",
			     jvm_dir);
		return false;
	}
	char *real = realpath(best.javac, NULL);
	e->companion = real ? vm_beside(real, why, whylen) : NULL;
	free(real);
	if (!e->companion) {
		free(best.javac);
		return false;
	}
	e->path = best.javac;
	return true;
}

static bool java_locate(struct executor *e, char *why, size_t whylen)
{
	const struct jdk_want *w = want_of(e->def);
	return e->settings->runtime ? locate_configured(e, w, why, whylen)
				    : locate_searched(e, w, why, whylen);
}

/* A JDK's tree, and the folder its configuration links to (Debian keeps
 * jvm.cfg, java.security and the rest under /etc/java-17-openjdk). */
static void add_jdk(struct sbx_policy *p, const char *binary)
{
	char *real = realpath(binary, NULL);
	if (!real)
		return;
	char *home = jdk_home(real);
	sbx_policy_add(p, SBX_TREE, home, false);
	char *cfg = path_join(home, "lib/jvm.cfg");
	char *cfg_real = realpath(cfg, NULL);
	size_t hl = strlen(home);
	if (cfg_real && !(strncmp(cfg_real, home, hl) == 0 && cfg_real[hl] == '/')) {
		char *slash = strrchr(cfg_real, '/');
		if (slash && slash != cfg_real) {
			*slash = '\0';
			sbx_policy_add(p, SBX_TREE, cfg_real, false);
		}
	}
	free(cfg_real);
	free(cfg);
	free(home);
	free(real);
}

static void java_runtime_rules(const struct executor *e, struct sbx_policy *p, bool compile)
{
	add_jdk(p, e->path);
	if (e->companion)
		add_jdk(p, e->companion);
}

/* ---- the source ---- */

static bool ident_char(unsigned char c)
{
	return c == '_' || c == '$' || c >= 0x80 || (c >= '0' && c <= '9') ||
	       (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The source with comments and string, character and text-block literals
 * blanked (newlines kept), so that neither can hide or fake a class; a
 * NUL byte ends it for the searches below. */
static char *strip_java(const char *s, size_t n)
{
	char *t = xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	size_t i = 0;
	while (i < n) {
		size_t end = i;
		if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
			while (end < n && s[end] != '\n' && s[end] != '\r')
				end++;
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			const char *close = memmem(s + i + 2, n - i - 2, "*/", 2);
			end = close ? (size_t)(close - s) + 2 : n;
		} else if (s[i] == '"' && i + 2 < n && s[i + 1] == '"' && s[i + 2] == '"') {
			end = i + 3;
			while (end < n && !(s[end] == '"' && end + 2 < n && s[end + 1] == '"' &&
					    s[end + 2] == '"'))
				end += s[end] == '\\' ? 2 : 1;
			end = end + 3 <= n ? end + 3 : n;
		} else if (s[i] == '"' || s[i] == '\'') {
			char q = s[i];
			end = i + 1;
			while (end < n && s[end] != q && s[end] != '\n')
				end += s[end] == '\\' ? 2 : 1;
			end = end < n ? end + 1 : n;
		} else {
			i++;
			continue;
		}
		for (size_t k = i; k < end && k < n; k++)
			if (t[k] != '\n' && t[k] != '\r')
				t[k] = ' ';
		i = end;
	}
	return t;
}

/* The word after the white space at p: [*start, return). */
static const char *next_word(const char *p, const char **start)
{
	while (*p && is_space(*p))
		p++;
	*start = p;
	while (*p && ident_char((unsigned char)*p))
		p++;
	return p;
}

static bool word_is(const char *s, const char *e, const char *w)
{
	return (size_t)(e - s) == strlen(w) && !memcmp(s, w, (size_t)(e - s));
}

/* Finds `public [strictfp] [abstract|final] [strictfp] class Name`;
 * returns the name's length and sets *name, or 0. */
static size_t find_public_class(const char *t, const char **name)
{
	for (const char *p = t; (p = strstr(p, "public")); p++) {
		if ((p > t && ident_char((unsigned char)p[-1])) || ident_char((unsigned char)p[6]))
			continue;
		const char *q = p + 6, *ws, *we;
		if (!is_space(*q))
			continue;
		we = next_word(q, &ws);
		if (word_is(ws, we, "strictfp"))
			we = next_word(we, &ws);
		if (word_is(ws, we, "abstract") || word_is(ws, we, "final"))
			we = next_word(we, &ws);
		if (word_is(ws, we, "strictfp"))
			we = next_word(we, &ws);
		if (!word_is(ws, we, "class") || !is_space(*we))
			continue;
		we = next_word(we, &ws);
		if (we > ws && !(*ws >= '0' && *ws <= '9')) {
			*name = ws;
			return (size_t)(we - ws);
		}
	}
	return 0;
}

/* A `package x.y;` declaration: the name's text and length, or 0. */
static size_t find_package(const char *t, const char **name)
{
	for (const char *p = t; (p = strstr(p, "package")); p++) {
		if ((p > t && ident_char((unsigned char)p[-1])) || !is_space(p[7]))
			continue;
		const char *s = p + 7;
		while (is_space(*s))
			s++;
		const char *semi = strchr(s, ';');
		if (semi && semi > s) {
			*name = s;
			return (size_t)(semi - s);
		}
	}
	return 0;
}

static int compile_error(struct program *out, const char *msg)
{
	free(out->compile_log);
	out->compile_log = xstrdup(msg);
	return PREPARE_COMPILE_ERROR;
}

static void java_memory_arg(char *buf, size_t len, uint64_t memory_kib)
{
	/* without a limit, the JVM's own default share of the machine */
	if (!memory_kib)
		snprintf(buf, len, "-XX:MaxRAMPercentage=25");
	else
		snprintf(buf, len, "-Xmx%lluK", (unsigned long long)memory_kib);
}

/* The JVM's arguments: -Xmx (argv[MEMORY_ARG]) is set for each run from
 * its memory limit. */
#define MEMORY_ARG 2

static int java_prepare(const struct executor *e, const struct compile_request *req,
			struct program *out, char *err, size_t errlen)
{
	if (!utf8_valid(req->source, req->len))
		return compile_error(out, "Your UTF-8 is bad, and you should feel bad");
	char *text = strip_java(req->source, req->len);
	const char *name, *pkg;
	size_t len = find_public_class(text, &name), plen;
	char *cls = len ? xstrndup(name, len) : NULL;
	int ret;
	if (!len) {
		ret = compile_error(
		    out,
		    "No public class: your main class must be declared as a \"public class\"\n");
	} else if ((plen = find_package(text, &pkg))) {
		char *msg =
		    xasprintf("Invalid package %.*s: do not declare package\n", (int)plen, pkg);
		ret = compile_error(out, msg);
		free(msg);
	} else if (len + strlen(".class") > NAME_MAX) {
		ret = compile_error(out, "Why do you need a class name so long? As a judge, I "
					 "sentence your code to death.\n");
	} else {
		char *src = xasprintf("%s.java", cls);
		ret = PREPARE_INTERNAL;
		if (executor_write_sources(e, req, src, err, errlen) == 0) {
			/* no performance-data file in /tmp, which it may not write;
			 * only the quick JIT: a compile is too short for the
			 * optimising one to pay (a third less CPU per compile) */
			char **argv =
			    strv_new(e->path, "-J-XX:-UsePerfData", "-J-XX:TieredStopAtLevel=1",
				     "-encoding", "UTF-8", src, NULL);
			ret = executor_run_compiler(e, argv, req->dir, req->time_limit, out, err,
						    errlen);
			strv_free(argv);
		}
		/* javac's complaint about a second public class, as DMOJ words it */
		if (ret == PREPARE_COMPILE_ERROR &&
		    strstr(out->compile_log, "is public, should be declared in a file named"))
			compile_error(out, "You are a troll. Trolls are not welcome. As a judge, I "
					   "sentence your code to death.\n");
		free(src);
	}
	if (ret == PREPARE_OK) {
		out->path = xstrdup(e->companion);
		/* unified logging's warnings (a thread that could not start)
		 * go to stdout by default, where they would be the answer */
		out->argv = strv_new("java", "-Xss128m", "-Xmx", "-XX:+UseSerialGC",
				     "-XX:+DisplayVMOutputToStderr", "-Xlog:disable",
				     "-Xlog:all=warning:stderr", "-XX:-UsePerfData", cls, NULL);
		free(out->argv[MEMORY_ARG]);
		out->argv[MEMORY_ARG] = xcalloc(PROGRAM_MEMORY_ARG, 1);
		java_memory_arg(out->argv[MEMORY_ARG], PROGRAM_MEMORY_ARG, 0);
		out->memory_arg = MEMORY_ARG;
		out->envp = executor_run_env(e, req->dir, req->unbuffered);
	}
	free(cls);
	free(text);
	return ret;
}

/* ---- feedback ---- */

static bool contains(const char *text, size_t len, const char *s)
{
	return memmem(text, len, s, strlen(s)) != NULL;
}

/* The exception of the last "Exception in thread "t" java.lang.X: ..."
 * (its class name only, as DMOJ reports it); a heap too small for the
 * JVM to start is an OutOfMemoryError too, so that it is MLE. */
static void java_feedback(const char *text, size_t len, char *buf, size_t buflen)
{
	static const char marker[] = "Exception in thread \"";
	static const char *const heap_errors[] = {
	    "Too small maximum heap", "Too small initial heap",
	    "GC triggered before VM initialization completed"};
	buf[0] = '\0';
	if (contains(text, len, "Error: Main method not found in class")) {
		snprintf(buf, buflen, "public static void main(String[] args) not found");
		return;
	}
	for (size_t i = 0; i < ARRAY_LEN(heap_errors); i++) {
		if (contains(text, len, heap_errors[i])) {
			snprintf(buf, buflen, "java.lang.OutOfMemoryError");
			return;
		}
	}
	if (contains(text, len, "There is insufficient memory for the Java Runtime")) {
		snprintf(buf, buflen, "insufficient memory to initialize JVM");
		return;
	}
	const char *last = executor_last_match(text, len, marker);
	if (!last)
		return;
	const char *end = text + len, *p = last + sizeof(marker) - 1;
	/* the thread's name may hold anything but a line break */
	const char *q = p;
	while (q < end && *q != '\n' && !(q[0] == '"' && q + 1 < end && q[1] == ' '))
		q++;
	if (q >= end || *q != '"')
		return;
	p = q + 2;
	q = p;
	while (q < end && (ident_char((unsigned char)*q) || *q == '.'))
		q++;
	if (q > p && q - p <= 200)
		snprintf(buf, buflen, "%.*s", (int)(q - p), p);
}

/* ---- policy ---- */

/* Beyond the base set: the JVM's threads name themselves (prctl
 * PR_SET_NAME only); its file channels keep a connected pair of local
 * sockets to interrupt blocking reads (socketpair: no address, nothing
 * outside to reach) and NIO's pipes and selectors use pipe2 and epoll; it
 * asks statfs about the cgroup file system (a path call, checked like any
 * other). */
static const char *const java_syscalls[] = {
    "prctl",	"socketpair",	 "pipe2",     "statfs",	    "fstatfs",
    "eventfd2", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait"};
/* It looks up its user (the C library asks nscd over a local socket) and
 * probes IPv6; both cope with a refusal, and so the program's own
 * sockets fail with an exception rather than killing the JVM. */
static const char *const java_refused[] = {"socket"};

/* Compiler threads, the collector, finalizers and the program's own. */
#define JAVA_THREADS 128

static const struct family_ops java_ops = {
    .version_flag = "-version",
    .locate = java_locate,
    .prepare = java_prepare,
    .feedback = java_feedback,
    /* the exception line comes before a stack trace of up to 1024 frames */
    .feedback_tail = SIZE_MAX,
    .memory_arg = java_memory_arg,
    .runtime_rules = java_runtime_rules,
    .run_syscalls = java_syscalls,
    .nrun_syscalls = ARRAY_LEN(java_syscalls),
    .refused_syscalls = java_refused,
    .nrefused_syscalls = ARRAY_LEN(java_refused),
    .max_threads = JAVA_THREADS,
    /* javac is a JVM too, reserving a quarter of the machine for its heap */
    .compile_unlimited_address_space = true,
    .no_binary = true,
    .compiled = true,
};

static const char *const search_javac[] = {"javac", NULL};

/* Self-tests that compile only on the right Java: InputStream.transferTo
 * came with 9; a sealed interface and a record with 17. */
static const char test_java[] = "public class self_test {\n"
				"    public static void main(String[] args) throws Exception {\n"
				"        System.in.transferTo(System.out);\n"
				"        System.out.flush();\n"
				"    }\n"
				"}\n";
static const char test_java17[] =
    "import java.io.IOException;\n"
    "\n"
    "sealed interface Echo permits Copier {\n"
    "    void run() throws IOException;\n"
    "}\n"
    "\n"
    "record Copier(int size) implements Echo {\n"
    "    public void run() throws IOException {\n"
    "        var buffer = new byte[size];\n"
    "        int read;\n"
    "        while ((read = System.in.read(buffer)) >= 0)\n"
    "            System.out.write(buffer, 0, read);\n"
    "        System.out.flush();\n"
    "    }\n"
    "}\n"
    "\n"
    "public class self_test {\n"
    "    public static void main(String[] args) throws IOException {\n"
    "        new Copier(4096).run();\n"
    "    }\n"
    "}\n";

const struct executor_def java_executors[] = {
    {"JAVA", "javac", search_javac, "java", NULL, test_java, 0, &java_ops, "javac", 0, NULL, 0},
    {"JAVA17", "javac17", search_javac, "java", NULL, test_java17, 0, &java_ops, "javac", 0, NULL,
     0},
};
const size_t java_executors_count = ARRAY_LEN(java_executors);
