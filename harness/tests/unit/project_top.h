/*
 * project_top.h: where a test finds the programs it runs: the nearest
 * ancestor of its own executable's folder that holds bin/mmapaudit.so, the
 * top of the tree that built it.  For the tests of the audit library.
 */
#ifndef PROJECT_TOP_H
#define PROJECT_TOP_H

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/sys.h"

/* The tree's top, malloc'd; dies when there is none (run `make`). */
static inline char *project_top(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

	if (n <= 0)
		die_errno("readlink /proc/self/exe");
	self[n] = '\0';
	for (char *slash; (slash = strrchr(self, '/')) != NULL && slash != self;) {
		*slash = '\0';
		char *lib = xasprintf("%s/bin/mmapaudit.so", self);
		bool found = access(lib, R_OK) == 0;
		free(lib);
		if (found)
			return xstrdup(self);
	}
	die("bin/mmapaudit.so not found above this test: run `make`");
}

#endif
