/*
 * judge: entry point. Global options, the configuration file, and the
 * command (submit, testsuite, problems, executors, autoconf, or a bridge
 * host for the live judge).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "judge/judge.h"

#ifndef JUDGE_VERSION
#define JUDGE_VERSION "dev"
#endif

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
		case 'p':
		case 's':
		case 'k':
		case 'T':
		case 'e':
		case 'x':
		case 'S':
		case 'W':
			/* live-judge options, read again by the live judge */
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
	char err[1024];
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
	else {
		fprintf(stderr, "judge: the live judge (HOST %s) is not built yet\n", cmd);
		ret = 2;
	}
	config_free(&cfg);
	return ret;
}
