/*
 * lab06_speed.c: lab 06's speed score (lab06_speed.h): the reference program
 * built from the grader's own copy of lab06_reference.c, the 64 MiB file,
 * and the paired runs.
 */
#define _GNU_SOURCE
#include "labs/lab06_speed.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "labs/build.h"
#include "labs/judge.h"
#include "labs/labs.h"
#include "lang/lang.h"
#include "run/sys.h"

/* The reference's source, as the grader was built with it: wherever the
 * grader runs (a handout, Gradescope), it has the reference with it. */
__asm__(".section .rodata\n"
	"lab06_reference_src:\n"
	".incbin \"harness/labs/lab06_reference.c\"\n"
	".byte 0\n"
	".previous\n");
extern const char lab06_reference_src[] __asm__("lab06_reference_src");

#define REF_LAB "06-read-vs-mmap-reference"

static const struct lab reference = {
	.id = REF_LAB,
	.programs = (const char *const[]){ "sum_ref", NULL },
};

void speed_setup(const struct grader *g, struct speed_bench *b, unsigned *rnd)
{
	/* A submission of one program, built as a student's is. */
	char *sub = xasprintf("%s/reference", g->workdir), *dir = xasprintf("%s/%s", sub, REF_LAB);
	char *src = xasprintf("%s/sum_ref.c", dir);
	char *text = xasprintf("#define LAB06_REFERENCE_MAIN 1\n#line 1 \"lab06_reference.c\"\n%s",
			       lab06_reference_src);
	struct lab_result built = { 0 };

	if (mkdir(sub, 0700) == -1 || mkdir(dir, 0700) == -1 ||
	    write_file(src, text, strlen(text)) == -1)
		die_errno("cannot write the reference program's source in %s", dir);
	build_lab(g, sub, &reference, &built);
	if (built.build_failed)
		die("the reference program of lab 06 did not compile:\n%s",
		    built.build_log ? built.build_log : "");
	free(built.build_log);
	remove_tree(sub);

	/* Random bytes, in the folder the runs see read-only; written just
	 * now, so in the page cache (the work folder is a tmpfs where it can). */
	size_t size = (size_t)SPEED_MIB << 20;
	uint64_t *data = xmalloc(size), x = ((uint64_t)*rnd << 32 | 0x9e3779b9u) | 1;
	for (size_t i = 0; i < size / sizeof(*data); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		data[i] = x;
	}
	b->file = xasprintf("%s/%s/speed.dat", g->bindir, REF_LAB);
	if (write_file(b->file, (const char *)data, size) == -1 || chmod(b->file, 0444) == -1)
		die_errno("cannot write %s", b->file);
	b->want = xasprintf("%016" PRIx64 " %zu\n", fnv1a64(0xcbf29ce484222325ULL, data, size), size);
	free(data);
	free(text);
	free(src);
	free(dir);
	free(sub);
}

void speed_free(struct speed_bench *b)
{
	free(b->file);
	free(b->want);
	memset(b, 0, sizeof(*b));
}

/* One timed run, in a folder of its own: its CPU seconds, or -1 (and *why)
 * when it gave no right answer; a run stopped by its CPU limit or the wall
 * clock counts as the CPU limit (*capped). */
static double timed(const struct grader *g, const char *lab, const char *prog,
		    const char *const *args, const char *want, bool *capped, char **why)
{
	const struct trial_step step = { prog, args };
	struct trial t;
	char how[300];
	double cpu = -1;

	trial_init(g, &t);
	trial_start(g, &t, lab, &step, 1, NULL);
	trial_finish(g, &t);
	const struct run_result *r = &t.res;
	/* Stopped by its CPU limit, or by the wall clock before it (a busy
	 * machine): slow, not wrong, and counted at the limit. */
	*capped = (r->end == RUN_SIGNALED && r->sig == SIGXCPU) || r->end == RUN_TIMEOUT;
	if (*capped) {
		cpu = g->limits.cpu_sec;
	} else if (r->end == RUN_EXITED && r->code == 0 && r->out.len == strlen(want) &&
		   memcmp(r->out.data, want, r->out.len) == 0) {
		cpu = r->cpu_sec > 1e-4 ? r->cpu_sec : 1e-4;
	} else {
		char *out = show_output(&r->out);
		free(*why);
		*why = xasprintf(_("$ %s\n%s, stdout: %s"), t.cmdline,
				 run_describe(r, how, sizeof(how)), *out ? out : _("(empty)"));
		free(out);
	}
	trial_free(&t);
	return cpu;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of n ratios (of two, the lower: the median of three is never
 * below it); r is sorted. */
static double median_of(double *r, int n)
{
	qsort(r, (size_t)n, sizeof(r[0]), by_value);
	return r[n == 2 || n == 4 ? n / 2 - 1 : n / 2];
}

/* The points a speed ratio gives, rounded down. */
static int points_of(double ratio, int points)
{
	return (int)(points * (ratio < SPEED_FULL ? ratio / SPEED_FULL : 1) + 1e-9);
}

/* The check, with its stable id (the table's checks get theirs from the engine). */
static struct check *speed_check(struct lab_result *lab, const char *id, int points,
				 const char *name)
{
	struct check *c = lab_add_check(lab, points, "%s", name);

	c->id = xstrdup(id);
	return c;
}

void judge_speed(const struct grader *g, struct lab_result *lab, struct speed_bench *b,
		 const char *id, const char *prog, const char *mode, int points, bool right,
		 const char *limit)
{
	char *name = xasprintf(_("%s: speed against the reference (%d MiB, cached)"), prog,
			       SPEED_MIB);

	if (!right) {
		struct check *c = speed_check(lab, id, points, name);
		free(name);
		check_fail(c, _("right answers first"), NULL, "%s", _("speed is scored only for a "
			   "program whose answers are right: see the checks above"));
		return;
	}
	/* No audit library in timed runs: its records would cost a program
	 * that makes many calls more than the reference. */
	struct grader timing = *g;
	timing.audit_lib = NULL;
	/* The CPU limit bounds the work; the wall clock only a program that
	 * waits, and a busy machine must not make the reference time out. */
	timing.limits.wall_sec = 30;
	double ratio[SPEED_PAIRS_MAX], ref_cpu = 0, mine_cpu = 0;
	int pairs = 0, planned = SPEED_PAIRS;
	bool capped = false, ref_capped;
	char *why = NULL;

	while (pairs < planned) {
		double r = timed(&timing, REF_LAB, "sum_ref",
				 (const char *[]){ mode, b->file, NULL }, b->want, &ref_capped, &why);
		if (r < 0 || ref_capped)
			die("the reference program failed on %s: %s", b->file, why ? why : "CPU limit");
		/* The program may take the reference's time many times over
		 * before it is stopped: its CPU limit is that, at least 1 s. */
		timing.limits.cpu_sec = r * 12 < 1 ? 1 : (double)(long)(r * 12 + 1);
		double m = timed(&timing, LAB06, prog, (const char *[]){ b->file, NULL },
				 b->want, &capped, &why);
		if (m < 0)
			break;
		ref_cpu += r;
		mine_cpu += m;
		ratio[pairs++] = r / m;
		/* Far below full points, or stopped, or twice well above them:
		 * more pairs change nothing. */
		if (capped || ratio[pairs - 1] < SPEED_FULL / 2 ||
		    (pairs == 2 && ratio[0] > SPEED_SURE && ratio[1] > SPEED_SURE))
			break;
		/* Three pairs whose median lies near the edge of a point: two
		 * more, so that noise moves it less often across. */
		if (pairs == SPEED_PAIRS && planned == SPEED_PAIRS) {
			double copy[SPEED_PAIRS_MAX], m3;
			memcpy(copy, ratio, sizeof(copy[0]) * (size_t)pairs);
			m3 = median_of(copy, pairs);
			if (points_of(m3 - SPEED_EDGE, points) != points_of(m3 + SPEED_EDGE, points))
				planned = SPEED_PAIRS_MAX;
		}
	}
	if (pairs == 0) {
		struct check *c = speed_check(lab, id, points, name);
		free(name);
		check_fail(c, b->want, why, "%s", _("a wrong answer, or no answer, on the large "
			   "file: see what it printed"));
		free(why);
		return;
	}
	free(why);
	double median = median_of(ratio, pairs), bytes = (double)((size_t)SPEED_MIB << 20);
	double gbs_mine = bytes * pairs / mine_cpu / 1e9, gbs_ref = bytes * pairs / ref_cpu / 1e9;
	int got = points_of(median, points);
	free(name);
	name = xasprintf(_("%s: %.2f GB/s, the reference %.2f GB/s: %.2f of its speed"), prog,
			 gbs_mine, gbs_ref, median);
	struct check *c = speed_check(lab, id, points, name);
	free(name);
	if (got == points) {
		check_pass(c);
		return;
	}
	char *seen = xasprintf(_("%s%.2f of the reference's speed (CPU time, %d MiB, the median "
				 "of %d pairs of runs): %.2f GB/s against %.2f GB/s"),
			       capped ? _("at most ") : "", median, SPEED_MIB, pairs, gbs_mine, gbs_ref);
	char *want = xasprintf(_("%.1f of the reference's speed or better"), SPEED_FULL);
	check_fail(c, want, seen, "%s", limit);
	c->score = got;
	free(seen);
	free(want);
}
