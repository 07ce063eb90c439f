/*
 * grading.c: grade one submission (see grading.h).
 */
#define _GNU_SOURCE
#include "grading.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "sys.h"

bool grade_submission(const char *submission, const struct lab *const *labs, size_t n,
		      unsigned seed, struct report *report)
{
	char *workdir = make_temp_dir(NULL, "mmaplab-grade");
	char *bindir = xasprintf("%s/bin", workdir);
	struct grader g = { .workdir = workdir, .bindir = bindir,
			    .limits = run_default_limits, .seed = seed };
	struct timespec t0, t1;
	bool complete = true;

	memset(report, 0, sizeof(*report));
	report->submission = xstrdup(submission);
	report->seed = seed;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < n && complete; i++) {
		struct lab_result *result = report_add_lab(report, labs[i]->id);
		build_lab(&g, submission, labs[i], result);
		labs[i]->grade(&g, result);
		complete = !run_interrupted();
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	report->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (remove_tree(workdir) == -1)
		fprintf(stderr, "grade: cannot remove %s: %s\n", workdir, strerror(errno));
	report_total(report);
	free(workdir);
	free(bindir);
	return complete;
}
