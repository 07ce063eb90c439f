/*
 * class.c: grade a whole class (see class.h): the run from start to end,
 * with the lock on RESULTS_DIR and the cores it may use.  The scheduler is
 * workers.c; the records a worker writes, records.c; the summary, summary.c.
 *
 * A worker writes the student's results itself, each file atomically, the
 * JSON record last: a record that exists is complete, and it carries a hash
 * of the student's sources, so that a second run keeps the students who did
 * not change.
 */
#define _GNU_SOURCE
#include "class/class.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "class/hash.h"
#include "class/progress.h"
#include "class/records.h"
#include "class/roster.h"
#include "class/similarity.h"
#include "class/state.h"
#include "class/summary.h"
#include "class/workers.h"
#include "lang/lang.h"
#include "report/class_page.h"
#include "run/run.h"
#include "run/sys.h"

static unsigned cores(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* --jobs N uses N cores at most, the first N this process may use: a
 * grading runs some of its programs side by side, so N students at a time
 * could otherwise spread over every core of a shared machine.  Returns how
 * many it uses.  (A program may move itself elsewhere: a courtesy, not a
 * wall.) */
static unsigned use_cores(unsigned n)
{
	cpu_set_t set, some;
	unsigned used = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == -1)
		return cores();
	CPU_ZERO(&some);
	for (int cpu = 0; cpu < CPU_SETSIZE && used < n; cpu++)
		if (CPU_ISSET(cpu, &set)) {
			CPU_SET(cpu, &some);
			used++;
		}
	if (used < (unsigned)CPU_COUNT(&set) && sched_setaffinity(0, sizeof(some), &some) == -1)
		die_errno("sched_setaffinity (--jobs %u)", n);
	return used;
}

/* One class run at a time per RESULTS_DIR. */
static int lock_results(const char *out)
{
	char *path = xasprintf("%s/.lock", out);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd == -1)
		die_errno(_("cannot create %s"), path);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1)
		die(_("%s is in use by another grade --class"), out);
	free(path);
	return fd;
}

int class_main(const struct class_options *o)
{
	struct class c = { .o = o, .ext = format_ext(o->reporter->name) };
	sigset_t signals;

	if (mkdir(o->out, 0755) == -1 && errno != EEXIST)
		die_errno(_("cannot create %s"), o->out);
	similar_to_check(o);
	int lock = lock_results(o->out);
	c.students = xasprintf("%s/students", o->out);
	if (mkdir(c.students, 0755) == -1 && errno != EEXIST)
		die_errno(_("cannot create %s"), c.students);
	remove_leftovers(o->out, false);
	remove_leftovers(c.students, true);
	c.grader = grader_hash();
	class_seed(&c);
	list_students(&c);
	if (c.n == 0)
		die(_("%s holds no student folders (one folder per student, named by the student's id)"),
		    o->dir);
	c.jobs = o->jobs > 0 ? o->jobs : cores();
	unsigned on = use_cores(c.jobs);
	const char *term = getenv("TERM");
	c.tty = isatty(STDERR_FILENO) && term != NULL && strcmp(term, "dumb") != 0;

	for (size_t i = 0; i < c.n; i++) {
		struct student *s = &c.s[i];
		json_t *rec = o->regrade ? NULL : load_record(&c, s);
		if (rec != NULL && record_current(&c, s, rec)) {
			s->record = rec;
			s->state = KEPT;
			c.kept++;
			c.build_failed += record_build_failure(rec) != NULL;
		} else {
			json_decref(rec);
		}
	}
	fprintf(stderr, _("grade: %zu students in %s, %u at a time on %u core%s; results in %s\n"),
		c.n, o->dir, c.jobs, on, on == 1 ? "" : "s", o->out);
	if (c.kept > 0)
		fprintf(stderr, _("grade: %zu graded before and unchanged since: kept "
			"(--regrade grades them again)\n"), c.kept);

	/* Signals wait in the mask for the loop; a worker unblocks its own. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGCHLD);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGHUP);
	sigprocmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);
	run_init();	/* orphans of a killed worker come back to us */
	/* Searchable: the sandbox's uid must reach the folders under it. */
	c.tmp = make_temp_dir(NULL, "mmaplab-class");
	if (chmod(c.tmp, 0711) == -1)
		die_errno("chmod %s", c.tmp);
	schedule(&c, &signals);
	if (c.tty)
		fputs("\r\033[K", stderr);
	struct similarity sim = { NULL, NULL };
	if (!c.stopping)
		compare_class(&c, &signals, &sim);
	if (remove_tree(c.tmp) == -1)
		fprintf(stderr, _("grade: cannot remove %s: %s\n"), c.tmp, strerror(errno));

	int status = c.failed > 0 ? EXIT_GRADER : 0;
	size_t todo = c.n - c.graded - c.kept - c.failed;
	if (c.stopping) {
		fprintf(stderr, _("grade: interrupted: %zu students graded and kept in %s; run the "
			"same command again to grade the other %zu\n"), c.graded + c.kept,
			c.students, todo);
		status = EXIT_GRADER;
	} else {
		int max;
		double mean, median;
		char took[32];
		bool drawn = write_summary(&c, sim.summary, &max, &mean, &median);
		bool page = write_class_page(o->out);
		duration(took, sizeof(took), now() - c.t0);
		printf(_("grade: %zu students graded in %s (%zu kept from the last run), %zu failed "
		       "to build, %zu not graded\n"), c.graded + c.kept, took, c.kept,
		       c.build_failed, c.failed);
		printf(_("grade: mean %.1f/%d, median %.1f/%d\n"), mean, max, median, max);
		printf(_("grade: %s/grades.csv, %s/summary.txt%s%s%s; each student's report in %s/\n"),
		       o->out, o->out, drawn ? ", " : "", drawn ? o->out : "",
		       drawn ? "/histogram.svg and .png" : "", c.students);
		if (sim.said != NULL)
			printf("%s\n", sim.said);
		if (page)
			printf(_("grade: the class page: %s/index.html\n"), o->out);
	}
	similarity_free(&sim);
	for (size_t i = 0; i < c.n; i++) {
		free(c.s[i].id);
		free(c.s[i].sub);
		free(c.s[i].hash);
		json_decref(c.s[i].record);
	}
	free(c.s);
	free(c.tmp);
	free(c.students);
	free(c.grader);
	close(lock);
	return status;
}
