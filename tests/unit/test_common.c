/*
 * Unit tests of the common module: UTF-8 checks and repair, ANSI
 * stripping, strict number parsing, YAML typed reads with their error
 * messages, and tree removal.
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"
#include "common/yml.h"

static void test_utf8(void **state)
{
	assert_true(utf8_valid("héllo ✓", strlen("héllo ✓")));
	assert_int_equal(utf8_check("ab\xff", 3), 2);
	assert_int_equal(utf8_check("a\0b", 3), 1);
	/* overlong and surrogate encodings are invalid */
	assert_false(utf8_valid("\xc0\xaf", 2));
	assert_false(utf8_valid("\xed\xa0\x80", 3));
	/* a sequence cut at the end */
	assert_false(utf8_valid("\xe2\x9c", 2));
	char *r = utf8_repair("a\xffz\xe2\x9c", 5);
	assert_string_equal(r, "a\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbd");
	free(r);
	r = utf8_repair("ok ✓", strlen("ok ✓"));
	assert_string_equal(r, "ok ✓");
	free(r);
}

static void test_ansi_strip(void **state)
{
	char *s = ansi_strip("\033[01m\033[Kx.c:1:\033[m\033[K \033[01;31merror\033[0m: y");
	assert_string_equal(s, "x.c:1: error: y");
	free(s);
}

static void test_numbers(void **state)
{
	long l;
	double d;
	assert_true(parse_long("42", &l) && l == 42);
	assert_false(parse_long("42x", &l));
	assert_false(parse_long("", &l));
	assert_true(parse_double("0.25", &d) && d == 0.25);
	assert_false(parse_double("1e999", &d));
}

static void test_yaml_reads(void **state)
{
	const char *text = "a: 12\nb: yes\nc: [x, y]\nd: hello\ne: 1.5\nf: ~\ng: {k: 0x1f}\n"
			   "base: &b {m: 1}\nderived: {<<: *b, n: 2}\n";
	struct yml y;
	char err[256];
	assert_int_equal(yml_load_string(&y, "t.yml", text, strlen(text), err, sizeof(err)), 0);
	yaml_node_t *root = yml_root(&y);
	long l;
	bool b;
	double d;
	const char *s;
	char **v;
	assert_int_equal(yml_to_long(&y, yml_get(&y, root, "a"), "a", &l, err, sizeof(err)), 0);
	assert_int_equal(l, 12);
	assert_int_equal(yml_to_bool(&y, yml_get(&y, root, "b"), "b", &b, err, sizeof(err)), 0);
	assert_true(b);
	assert_int_equal(yml_to_strv(&y, yml_get(&y, root, "c"), "c", &v, err, sizeof(err)), 0);
	assert_string_equal(v[0], "x");
	assert_string_equal(v[1], "y");
	assert_null(v[2]);
	strv_free(v);
	assert_int_equal(yml_to_double(&y, yml_get(&y, root, "e"), "e", &d, err, sizeof(err)), 0);
	assert_true(d == 1.5);
	assert_true(yml_is_null(yml_get(&y, root, "f")));
	/* errors name the file, the line and the key */
	assert_int_equal(yml_to_long(&y, yml_get(&y, root, "d"), "d", &l, err, sizeof(err)), -1);
	assert_string_equal(err, "t.yml:4: key `d`: expected a whole number, got 'hello'");
	assert_int_equal(yml_to_string(&y, yml_get(&y, root, "c"), "c", &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "t.yml:3"));
	/* conversion to JSON resolves YAML 1.1 scalars */
	json_t *j = yml_to_json(&y, root);
	assert_int_equal(json_integer_value(json_object_get(j, "a")), 12);
	assert_true(json_is_true(json_object_get(j, "b")));
	assert_true(json_is_null(json_object_get(j, "f")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "g"), "k")), 31);
	assert_string_equal(json_string_value(json_object_get(j, "d")), "hello");
	json_decref(j);
	/* merge keys */
	yaml_node_t *der = yml_get(&y, root, "derived");
	assert_int_equal(yml_to_long(&y, yml_get(&y, der, "m"), "m", &l, err, sizeof(err)), 0);
	assert_int_equal(l, 1);
	yml_free(&y);

	assert_int_equal(yml_load_string(&y, "bad.yml", "a: [1, 2\nb: 3\n", 13, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "bad.yml"));
	assert_non_null(strstr(err, "YAML syntax error"));
}

/* Floats outside long's range are not whole numbers. Converting them was
 * undefined: clang's -fsanitize=undefined (make fuzz) stops on it, where
 * x86 happens to give a value that is then refused. */
static void test_yaml_long_range(void **state)
{
	const char *text = "a: 1e300\nb: .inf\nc: -.inf\nd: .nan\ne: 9.3e18\nf: -4e3\n";
	struct yml y;
	char err[256];
	long l;
	assert_int_equal(yml_load_string(&y, "t.yml", text, strlen(text), err, sizeof(err)), 0);
	yaml_node_t *root = yml_root(&y);
	static const char *const bad[] = {"a", "b", "c", "d", "e"};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		assert_int_equal(
		    yml_to_long(&y, yml_get(&y, root, bad[i]), bad[i], &l, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "expected a whole number"));
	}
	assert_int_equal(yml_to_long(&y, yml_get(&y, root, "f"), "f", &l, err, sizeof(err)), 0);
	assert_int_equal(l, -4000);
	yml_free(&y);
}

/* Values in a JSON tree that are not null. */
static size_t count_values(const json_t *j)
{
	size_t n = !json_is_null(j), i;
	const char *k;
	json_t *v;
	if (json_is_array(j))
		json_array_foreach (j, i, v)
			n += count_values(v);
	if (json_is_object(j))
		json_object_foreach ((json_t *)j, k, v)
			n += count_values(v);
	return n;
}

/* Aliases multiply: eight lines name one list of eight 8^7 = 2 million
 * times, a map can merge itself. Converting or looking keys up through
 * them is bounded; before, the first made every copy, and the lookup of
 * a missing key went on for 8^16 steps (the alarm fails the test). */
static void test_yaml_aliases(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "l0: &l0 [x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 8; i++)
		sb_addf(&sb, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i,
			i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	sb_adds(&sb, "m: &m {<<: [*m, *m, *m, *m, *m, *m, *m, *m], k: 1}\n");
	struct yml y;
	char err[256];
	assert_int_equal(yml_load_string(&y, "t.yml", sb.buf, sb.len, err, sizeof(err)), 0);
	alarm(20);
	json_t *j = yml_to_json(&y, yml_root(&y));
	assert_true(count_values(j) <= (1 << 17));
	json_decref(j);
	yaml_node_t *m = yml_get(&y, yml_root(&y), "m");
	assert_non_null(yml_get(&y, m, "k"));
	assert_null(yml_get(&y, m, "missing"));
	alarm(0);
	yml_free(&y);
	sb_free(&sb);
}

static void test_rm_rf(void **state)
{
	char err[256];
	char *d = make_temp_dir("/tmp", "judge-unit-rm", err, sizeof(err));
	assert_non_null(d);
	char *cmd = xasprintf("cd '%s' && mkdir -p a/b/c && echo x > a/b/c/f && chmod 000 a/b && "
			      "ln -s /etc a/link && touch outside-marker",
			      d);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(rm_rf(d), 0);
	assert_false(path_exists(d));
	/* the symlink was removed, not followed */
	assert_true(path_exists("/etc/hostname") || path_exists("/etc/passwd"));
	free(cmd);
	free(d);
}

/* Whatever the test's own stderr is, it is made the journal's stream here:
 * a temp file whose device and inode go into JOURNAL_STREAM. */
static void test_log_journal(void **state)
{
	char path[] = "/tmp/judge-unit-log-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	struct stat sb;
	assert_int_equal(fstat(fd, &sb), 0);
	char env[64], other[64];
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)sb.st_dev,
		 (unsigned long long)sb.st_ino);
	snprintf(other, sizeof(other), "%llu:%llu", (unsigned long long)sb.st_dev,
		 (unsigned long long)sb.st_ino + 1);

	unsetenv("JOURNAL_STREAM");
	assert_false(log_is_journal(fd));
	setenv("JOURNAL_STREAM", other, 1);
	assert_false(log_is_journal(fd));
	setenv("JOURNAL_STREAM", "12:34:56", 1);
	assert_false(log_is_journal(fd));
	setenv("JOURNAL_STREAM", env, 1);
	assert_true(log_is_journal(fd));

	/* into the journal: priority prefix, no time stamp, no colours */
	int saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	log_setup("unit", true, true);
	log_warn("careful %d", 1);
	log_debug("detail");
	log_error("broken");
	/* the same stream without JOURNAL_STREAM: the usual time-stamped line */
	unsetenv("JOURNAL_STREAM");
	log_setup(NULL, false, false);
	log_info("plain");
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);

	char buf[512] = {0};
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	assert_true(n > 0);
	const char *want =
	    "<4>WARN  unit: careful 1\n<7>DEBUG unit: detail\n<3>ERROR unit: broken\n";
	assert_int_equal(strncmp(buf, want, strlen(want)), 0);
	const char *plain = buf + strlen(want);
	/* 2026-12-04 16:08:53.081 INFO: plain */
	assert_true(strlen(plain) > 24 && plain[4] == '-' && plain[10] == ' ' && plain[19] == '.');
	assert_non_null(strstr(plain, " INFO: plain\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_ansi_strip),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_yaml_reads),
	    cmocka_unit_test(test_yaml_long_range),
	    cmocka_unit_test(test_yaml_aliases),
	    cmocka_unit_test(test_rm_rf),
	    cmocka_unit_test(test_log_journal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
