/*
 * grading.c: grade one submission (see grading.h).
 */
#define _GNU_SOURCE
#include "grading.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "sys.h"

/* The folder bin/grade is in: .../bin. */
static char *bin_dir(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		die_errno("readlink /proc/self/exe");
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	return xstrdup(exe);
}

/* The project's reference solutions, beside bin/: no program may see them
 * (an #include of a solution would score full marks). */
static char *solutions_dir(const char *bin)
{
	struct stat st;
	char *dir = xasprintf("%s/../solutions", bin);
	char *real = realpath(dir, NULL);

	free(dir);
	if (real != NULL && stat(real, &st) == 0 && S_ISDIR(st.st_mode))
		return real;
	free(real);
	return NULL;
}

bool grade_submission(const char *submission, const struct lab *const *labs, size_t n,
		      unsigned seed, struct report *report)
{
	struct sandbox sb;
	char *workdir = make_temp_dir(NULL, "mmaplab-grade");
	char *bindir = xasprintf("%s/bin", workdir);
	char *bin = bin_dir(), *audit_lib = xasprintf("%s/mmapaudit.so", bin);
	char *hidden = realpath(submission, NULL), *solutions = solutions_dir(bin);
	struct leftovers left = { 0 };
	struct grader g = { .workdir = workdir, .bindir = bindir, .limits = run_default_limits,
			    .seed = seed, .sandbox = &sb, .audit_lib = audit_lib, .left = &left };

	/* The library sees the calls that output cannot show: no grading without it. */
	if (access(audit_lib, R_OK) == -1)
		die_errno("%s (build it with make)", audit_lib);
	char how[512];

	/* The run uid passes through the work folder, but cannot list it. */
	if (chmod(workdir, 0711) == -1)
		die_errno("chmod %s", workdir);
	sandbox_open(&sb, sandbox_preference);
	if (sandbox_always_hidden != NULL)
		sandbox_hide(&sb, sandbox_always_hidden);
	if (hidden != NULL)
		sandbox_hide(&sb, hidden);
	if (solutions != NULL)
		sandbox_hide(&sb, solutions);
	struct timespec t0, t1;
	bool complete = true;

	memset(report, 0, sizeof(*report));
	report->submission = xstrdup(submission);
	report->seed = seed;
	report->sandbox = xstrdup(sandbox_describe(&sb, how, sizeof(how)));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < n && complete; i++) {
		struct lab_result *result = report_add_lab(report, labs[i]->id);
		build_lab(&g, submission, labs[i], result);
		labs[i]->grade(&g, result);
		judge_nothing_left(lab_add_check(result, 1, "nothing is left running or lying around "
						 "after the runs"), &left);
		complete = !run_interrupted();
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	report->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (remove_tree(workdir) == -1)
		fprintf(stderr, "grade: cannot remove %s: %s\n", workdir, strerror(errno));
	report_total(report);
	sandbox_close(&sb);
	free(hidden);
	free(solutions);
	free(audit_lib);
	free(bin);
	free(workdir);
	free(bindir);
	return complete;
}
