/*
 * judge: entry point. Global options, the configuration file, and the
 * command (submit, testsuite, problems, executors, autoconf, or a bridge
 * host for the live judge).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "judge/frontends/frontends.h"

#ifndef JUDGE_VERSION
#define JUDGE_VERSION "dev"
#endif

static char **split_list(const char *s)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	char *copy = xstrdup(s), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		XGROW(v, cap, n + 2);
		v[n++] = xstrdup(t);
	}
	free(copy);
	XGROW(v, cap, n + 1);
	v[n] = NULL;
	return v;
}

/* judge [options] HOST [NAME [KEY]]: name and key from the command line,
 * else the environment, else the config file. */
static int live(struct config *cfg, struct live_opts *lo, int argc, char **argv, bool debug,
		bool ansi)
{
	if (argc > 3) {
		fprintf(stderr, "judge: too many arguments after %s (HOST [NAME [KEY]])\n",
			argv[0]);
		return 2;
	}
	lo->host = argv[0];
	const char *env_name = getenv("DMOJ_JUDGE_NAME"), *env_key = getenv("DMOJ_JUDGE_KEY");
	lo->name = argc > 1 ? argv[1] : env_name && *env_name ? env_name : cfg->id;
	lo->key = argc > 2 ? argv[2] : env_key && *env_key ? env_key : cfg->key;
	if (!lo->name || !*lo->name)
		die(2, "no judge name: give NAME, set DMOJ_JUDGE_NAME or `id` in %s",
		    cfg->path ? cfg->path : "the config");
	if (!lo->key || !*lo->key)
		die(2, "no judge key: give KEY, set DMOJ_JUDGE_KEY or `key` in %s",
		    cfg->path ? cfg->path : "the config");
	if (lo->ca_file && access(lo->ca_file, R_OK) < 0)
		die(2, "-T: cannot read %s", lo->ca_file);
	log_setup(lo->name, debug, ansi && isatty(STDERR_FILENO));
	return cmd_live(cfg, lo);
}

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: judge [-c FILE] [options] HOST [NAME [KEY]]   live judge: grade for a site's "
	    "bridge\n"
	    "       judge [-c FILE] submit PROBLEM LANG SOURCE [-t SECONDS] [-m KIB] [--json]\n"
	    "       judge [-c FILE] testsuite DIR [PROBLEM_REGEX [CASE_REGEX]]\n"
	    "                                       grade problems' tests/ folders and check "
	    "the results\n"
	    "       judge [-c FILE] problems        list the problems found, with their mtimes\n"
	    "       judge [-c FILE] executors       list executors, versions, self-test results\n"
	    "       judge [-c FILE] autoconf        find runtimes; print a runtime: block\n"
	    "       judge --help | --version\n"
	    "\n"
	    "options:\n"
	    "  -c, --config FILE              configuration (default ./config.yml)\n"
	    "  -p, --server-port N            bridge port (default 9998; a stock DMOJ site uses "
	    "9999)\n"
	    "  -s, --secure                   connect with TLS\n"
	    "  -k, --no-certificate-check     do not verify the bridge's certificate\n"
	    "  -T, --trusted-certificates F   CA bundle to verify the bridge with\n"
	    "  -e, --only-executors A,B       load only these executors\n"
	    "  -x, --exclude-executors A,B    do not load these executors\n"
	    "      --skip-self-test           trust executors without testing them\n"
	    "  -l, --log-file FILE            log to FILE instead of stderr\n"
	    "  -d, --debug                    log debugging detail\n"
	    "      --no-ansi                  no colours\n"
	    "      --no-watchdog              do not watch problem folders for changes\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},
	    {"server-port", required_argument, NULL, 'p'},
	    {"secure", no_argument, NULL, 's'},
	    {"no-certificate-check", no_argument, NULL, 'k'},
	    {"trusted-certificates", required_argument, NULL, 'T'},
	    {"only-executors", required_argument, NULL, 'e'},
	    {"exclude-executors", required_argument, NULL, 'x'},
	    {"skip-self-test", no_argument, NULL, 'S'},
	    {"log-file", required_argument, NULL, 'l'},
	    {"debug", no_argument, NULL, 'd'},
	    {"no-ansi", no_argument, NULL, 'A'},
	    {"no-watchdog", no_argument, NULL, 'W'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *config_path = NULL, *log_file = NULL;
	bool debug = false, ansi = isatty(STDOUT_FILENO);
	struct live_opts lo = {.port = 9998, .verify = true, .watchdog = true};
	lo.started = mono_now();
	int c;
	while ((c = getopt_long(argc, argv, "+c:p:skT:e:x:l:dhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config_path = optarg;
			break;
		case 'l':
			log_file = optarg;
			break;
		case 'd':
			debug = true;
			break;
		case 'A':
			ansi = false;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("judge %s\n", JUDGE_VERSION);
			return 0;
		case 'p': {
			long port;
			if (!parse_long(optarg, &port) || port < 1 || port > 65535)
				die(2, "-p: %s is not a port number", optarg);
			lo.port = (int)port;
			break;
		}
		case 's':
			lo.tls = true;
			break;
		case 'k':
			lo.verify = false;
			break;
		case 'T':
			lo.ca_file = optarg;
			break;
		case 'e':
			strv_free(lo.only);
			lo.only = split_list(optarg);
			break;
		case 'x':
			strv_free(lo.exclude);
			lo.exclude = split_list(optarg);
			break;
		case 'S':
			lo.skip_selftest = true;
			break;
		case 'W':
			lo.watchdog = false;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	log_setup(NULL, debug, ansi && isatty(STDERR_FILENO));
	/* a reader that goes away (`judge submit ... | head`) must not kill
	 * the judge before it removes its working folders */
	signal(SIGPIPE, SIG_IGN);
	char err[ERR_SIZE];
	if (log_file && log_set_file(log_file, err, sizeof(err)) < 0)
		die(2, "%s", err);

	const char *cmd = argv[optind];
	struct config cfg;
	config_defaults(&cfg);
	bool needs_config = strcmp(cmd, "autoconf") != 0;
	const char *path = config_path ? config_path : "config.yml";
	if (access(path, F_OK) == 0 || config_path) {
		if (config_load(&cfg, path, err, sizeof(err)) < 0)
			die(2, "%s", err);
	} else if (needs_config) {
		die(2,
		    "no configuration: %s does not exist (give one with -c FILE; "
		    "config.yml.example is a start)",
		    path);
	}
	int sub_argc = argc - optind;
	char **sub_argv = argv + optind;
	int ret;
	if (!strcmp(cmd, "submit"))
		ret = cmd_submit(&cfg, sub_argc, sub_argv, ansi);
	else if (!strcmp(cmd, "problems"))
		ret = cmd_problems(&cfg, sub_argc, sub_argv, ansi);
	else if (!strcmp(cmd, "executors"))
		ret = cmd_executors(&cfg, sub_argc, sub_argv, ansi);
	else if (!strcmp(cmd, "autoconf"))
		ret = cmd_autoconf(&cfg, sub_argc, sub_argv, ansi);
	else if (!strcmp(cmd, "testsuite"))
		ret = cmd_testsuite(&cfg, sub_argc, sub_argv, ansi);
	else
		ret = live(&cfg, &lo, sub_argc, sub_argv, debug, ansi);
	strv_free(lo.only);
	strv_free(lo.exclude);
	config_free(&cfg);
	return ret;
}
