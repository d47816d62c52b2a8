/*
 * Fuzzes the judge's configuration file (judge/config/config.c): the
 * input is written as a config file and config_load reads it over the
 * defaults, as `judge -c FILE` does at start.
 */
#include <stdlib.h>

#include "judge/config/config.h"
#include "tests/fuzz/harness.h"

static char *path;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path)
		path = path_join(fuzz_scratch(), "config.yml");
	fuzz_write(fuzz_scratch(), "config.yml", data, size);
	struct config c;
	char err[ERR_SIZE];
	config_defaults(&c);
	if (config_load(&c, path, err, sizeof(err)) == 0) {
		if (!c.problem_globs || !c.problem_globs[0] || !c.tempdir || c.tempdir[0] != '/' ||
		    c.reconnect_max < c.reconnect_initial)
			fuzz_fail("config_load accepted an incomplete configuration");
	}
	config_free(&c);
	return 0;
}
