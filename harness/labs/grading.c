/*
 * grading.c: grade one submission (see grading.h).
 */
#define _GNU_SOURCE
#include "labs/grading.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "labs/build.h"
#include "labs/engine.h"
#include "labs/judge.h"
#include "labs/show.h"
#include "lang/lang.h"
#include "run/sys.h"

/* The folder bin/grade is in: .../bin. */
static char *bin_dir(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		die_errno(_("readlink /proc/self/exe"));
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	return xstrdup(exe);
}

/* What programs must not see of the submission's surroundings: the folder it
 * is in (its classmates), or only itself when that folder is the project's
 * own checkout (a student's make grade). */
static char *classmates(const char *submission, const char *bin)
{
	char *real = realpath(submission, NULL), *project = xasprintf("%s/..", bin);
	char *root = realpath(project, NULL);

	free(project);
	if (real == NULL) {
		free(root);
		return NULL;
	}
	char *parent = xstrdup(real);
	char *slash = strrchr(parent, '/');
	if (slash != NULL && slash != parent)
		*slash = '\0';
	bool own_checkout = root != NULL && strcmp(parent, root) == 0;
	if (slash == NULL || slash == parent || own_checkout) {
		free(parent);
		free(root);
		return real;
	}
	free(real);
	free(root);
	return parent;
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

bool grading_audit = true;

/* A program that cannot run in the sandbox here (a TMPDIR the run uid cannot
 * enter, a grader installed where bwrap hides it...) would score 0 for the
 * grader's own fault: try /bin/true first, and stop with exit 2 if it fails. */
static void sandbox_probe(const struct sandbox *sb, const char *workdir)
{
	char *dir = make_temp_dir(workdir, "probe");
	const char *argv[] = { "/bin/true", NULL };
	struct run_spec spec = { .argv = argv, .dir = dir, .limits = run_default_limits,
				 .sandbox = sb, .binds = (const char *[]){ dir, NULL } };
	struct run_result res;
	char how[300];

	sandbox_give(sb, dir);
	if (run_program(&spec, &res) == -1)
		die(_("cannot run a program: %s"), res.error);
	if (res.end != RUN_EXITED || res.code != 0) {
		char *err = show_bytes(res.err.data, res.err.len, 300);
		die(_("the sandbox does not work here: /bin/true ended with %s%s%s -- check that "
		    "TMPDIR (%s) can be entered by other users, or try --sandbox posix"),
		    run_describe(&res, how, sizeof(how)), *err ? ": " : "", err,
		    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	}
	run_result_free(&res);
	remove_tree(dir);
	free(dir);
}

/* The work folder of this process's grading, removed if the grader dies
 * (exit 2 from die()) before it could remove it itself; never by a forked
 * worker, whose exit would take its parent's folder away. */
static char *work_to_remove;
static pid_t work_owner;
static bool work_in_memory;	/* a tmpfs: unmounted, then the empty folder removed */

static int remove_work_dir(const char *workdir)
{
	if (work_in_memory && umount2(workdir, MNT_DETACH) == -1)
		return -1;
	work_in_memory = false;
	return remove_tree(workdir);
}

static void remove_work(void)
{
	if (work_to_remove != NULL && getpid() == work_owner)
		remove_work_dir(work_to_remove);
}

static void remove_at_exit(char *workdir)
{
	static bool registered;

	if (!registered && atexit(remove_work) == 0)
		registered = true;
	work_to_remove = workdir;
	work_owner = getpid();
}

/* Copies what programs load from the grader's folder into tools/ (0711): the
 * audit library, and the grader itself when it serves as bwrap's shim. */
static void install_tools(const char *tools, const char *bin, const char *shim)
{
	if (mkdir(tools, 0711) == -1)
		die_errno(_("mkdir %s"), tools);
	int from = open(bin, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int to = open(tools, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (from == -1 || to == -1)
		die_errno(_("open %s"), from == -1 ? bin : tools);
	if (copy_file(from, "mmapaudit.so", to, 64 << 20) == -1)
		die_errno(_("%s/mmapaudit.so (build it with make)"), bin);
	if (shim != NULL && copy_file(from, strrchr(shim, '/') + 1, to, 64 << 20) == -1)
		die_errno(_("cannot copy %s"), shim);
	close(from);
	close(to);
	if (shim != NULL) {
		char *copy = xasprintf("%s/%s", tools, strrchr(shim, '/') + 1);
		if (chmod(copy, 0755) == -1)
			die_errno(_("chmod %s"), copy);
		free(copy);
	}
	char *lib = xasprintf("%s/mmapaudit.so", tools);
	if (chmod(lib, 0755) == -1)
		die_errno(_("chmod %s"), lib);
	free(lib);
}

bool grade_submission(const char *submission, const struct lab *const *labs, size_t n,
		      unsigned seed, struct report *report)
{
	struct sandbox sb;
	/* Before any namespace: in a chroot, /proc/self/exe names the path
	 * seen from outside it once this process has a mount namespace. */
	char *bin = bin_dir();
	/* Absolute: the sandbox keeps it visible by its path. */
	char *made = make_temp_dir(sandbox_work_parent(), "mmaplab-grade");
	char *workdir = realpath(made, NULL);
	if (workdir == NULL)
		die_errno(_("realpath %s"), made);
	free(made);
	remove_at_exit(workdir);
	work_in_memory = sandbox_work_in_memory(workdir);
	char *bindir = xasprintf("%s/bin", workdir), *tools = xasprintf("%s/tools", workdir);
	char *audit_lib = xasprintf("%s/mmapaudit.so", tools);
	char *hidden = classmates(submission, bin), *solutions = solutions_dir(bin);
	struct leftovers left = { 0 };
	struct uid_pool uids = { 0 };
	struct grader g = { .workdir = workdir, .bindir = bindir, .limits = run_default_limits,
			    .seed = seed, .sandbox = &sb, .audit_lib = grading_audit ? audit_lib : NULL,
			    .left = &left, .uids = &uids, .in_memory = work_in_memory };
	char how[512];

	/* The run uid passes through the work folder, but cannot list it. */
	if (chmod(workdir, 0711) == -1)
		die_errno(_("chmod %s"), workdir);
	sandbox_open(&sb, sandbox_preference);
	/* The library (and, under bwrap, the shim) from a copy in the work
	 * folder: wherever the grader is installed (a 0700 home, among the
	 * hidden folders, rebuilt while a class is graded), the run uid can
	 * load it. */
	install_tools(tools, bin, sb.layer == SANDBOX_BWRAP ? sb.shim : NULL);
	sandbox_use_shim(&sb, tools);
	sandbox_keep(&sb, workdir);
	if (hidden != NULL)
		sandbox_hide(&sb, hidden);
	if (solutions != NULL)
		sandbox_hide(&sb, solutions);
	sandbox_probe(&sb, workdir);
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
		if (grading_show) {
			show_lab(&g, labs[i], result, stdout);
			continue;
		}
		engine_grade(&g, labs[i], result);
		struct check *left_check = lab_add_check(result, 1, "%s", _("nothing is left running "
							 "or lying around after the runs"));
		left_check->id = xasprintf("%s.nothing-left", labs[i]->id + 3);
		if (result->build_failed)	/* nothing ran: no credit for it */
			check_fail(left_check, _("a lab that builds"), _("not built"), "%s",
				   _("see the compiler's messages at the top of this lab"));
		judge_nothing_left(left_check, &left);
		complete = !run_interrupted();
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	report->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (remove_work_dir(workdir) == -1)
		fprintf(stderr, _("grade: cannot remove %s: %s\n"), workdir, strerror(errno));
	report_total(report);
	sandbox_pool_close(&uids);
	sandbox_close(&sb);
	free(hidden);
	free(solutions);
	free(audit_lib);
	free(tools);
	free(bin);
	remove_at_exit(NULL);
	free(workdir);
	free(bindir);
	return complete;
}
