/*
 * lab06_read_vs_mmap.c: checks of lab 06, sum_read FILE and sum_mmap FILE.
 *
 * Correctness first: each program's line on files around a page and a few
 * MiB of random bytes, against the FNV-1a hash the grader computes itself.
 * The audit library's records prove the rules (sum_read never maps the file,
 * sum_mmap maps it once and never reads it).  Then speed, against the
 * grader's reference program of the same kind (lab06_speed.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/checks.h"
#include "labs/clauses.h"
#include "labs/faults.h"
#include "labs/judge.h"
#include "labs/judges.h"
#include "labs/lab06_speed.h"
#include "labs/labs.h"
#include "labs/random.h"
#include "lang/lang.h"
#include "run/sys.h"

#define BASIS 0xcbf29ce484222325ULL
#define PRIME 0x100000001b3ULL
#define BIG_MIB 2		/* "a few MiB": a 1-byte reader still ends in time */

#define ROW_LINE N_("§1 lab 06: one line: the FNV-1a 64-bit hash of FILE's bytes as 16 " \
		    "lower-case hex digits, a space and the byte count")
#define ROW_READ N_("§1 lab 06: sum_read with read into a buffer of its choosing (no mmap)")
#define ROW_MMAP N_("§1 lab 06: sum_mmap with one mmap of the whole file (no read; an empty " \
		    "file is not mapped)")

/* A run's file, in one allocation (the engine frees want). */
struct sum_want {
	size_t size;
	char data[];
};

static void put_file(const struct lab_run *r, const char *dir)
{
	const struct sum_want *w = r->want;
	char *path = xasprintf("%s/data.bin", dir);

	if (write_file(path, w->data, w->size) == -1 || chmod(path, 0444) == -1)
		die_errno("cannot make %s", path);
	free(path);
}

/* The fault runs' file: a page and a byte. */
static void put_fault_file(const struct lab_run *r, const char *dir)
{
	char *path = xasprintf("%s/data.bin", dir), data[4097];

	(void)r;
	memset(data, 'x', sizeof(data));
	if (write_file(path, data, sizeof(data)) == -1)
		die_errno("cannot make %s", path);
	free(path);
}

static struct lab_run *plan_sum(struct lab_plan *p, const char *prog, const char *what,
				unsigned *rnd, size_t size)
{
	char *name = xasprintf("%s %s", prog, what);
	struct sum_want *w = xmalloc(sizeof(*w) + size + 1);
	struct lab_run *r = plan_run(p, name, prog, (const char *[]){ "data.bin", NULL });

	w->size = size;
	for (size_t i = 0; i < size; i++)
		w->data[i] = (char)rand_between(rnd, 0, 255);
	r->want = w;
	r->prepare = put_file;
	run_label(r, "%zu", size);
	free(name);
	return r;
}

/* The two mistakes of a hash that is almost FNV-1a. */
static uint64_t fnv1(const char *p, size_t n)
{
	uint64_t h = BASIS;

	for (size_t i = 0; i < n; i++)
		h = (h * PRIME) ^ (unsigned char)p[i];
	return h;
}

static uint64_t fnv1a_signed(const char *p, size_t n)
{
	uint64_t h = BASIS;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint64_t)(int64_t)(signed char)p[i]) * PRIME;
	return h;
}

/* Exit 0 and the line "HASH COUNT"; a wrong hash named when it is FNV-1 or
 * FNV-1a of signed bytes. */
static bool judge_sum(struct check *c, const struct trial *t, const struct sum_want *r)
{
	uint64_t want = fnv1a64(BASIS, r->data, r->size), hash;
	char *line = xasprintf("%016" PRIx64 " %zu\n", want, r->size);
	char *expected = xasprintf(_("exit 0, stdout:\n%s"), line);
	const struct run_stream *out = &t->res.out;
	unsigned long long count;
	int used = 0;
	bool ok = false;

	if (!judge_clean_exit(c, t)) {
		/* its hint says how the run ended */
	} else if (out->total == strlen(line) && memcmp(out->data, line, out->len) == 0) {
		check_pass(c);
		ok = true;
	} else {
		const char *hint = _("the line differs: FNV-1a over every byte, from the offset basis "
				     "0xcbf29ce484222325, continued across the pieces read");
		bool parsed = sscanf(out->data, "%" SCNx64 " %llu%n", &hash, &count, &used) == 2;
		if (parsed && hash == want && count == r->size)
			hint = _("the right hash and count, printed otherwise: 16 lower-case hex "
				 "digits with leading zeros, a space, the count, a newline, nothing "
				 "else");
		else if (parsed && count != r->size)
			hint = _("the byte count is wrong: count the bytes read() returned (it may "
				 "return fewer than asked), or the file's size");
		else if (parsed && hash == fnv1(r->data, r->size))
			hint = _("that is FNV-1, not FNV-1a: xor the byte in first, then multiply by "
				 "the prime");
		else if (parsed && hash == fnv1a_signed(r->data, r->size))
			hint = _("bytes above 0x7f were taken as negative numbers (char is signed on "
				 "x86), and their sign was xored into every bit above: hash the "
				 "bytes as unsigned char");
		char *shown = show_output(out);
		char *seen = xasprintf("$ %s\n%s", t->cmdline, *shown ? shown : _("(nothing on stdout)"));
		check_fail(c, expected, seen, "%s", hint);
		free(shown);
		free(seen);
	}
	free(line);
	free(expected);
	return ok;
}

static bool sums(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		 size_t n)
{
	(void)def;
	for (size_t i = 0; i < n; i++)
		if (!judge_sum(c, &runs[i]->t, runs[i]->want)) {
			blame(c, runs[i]);
			return false;
		}
	return true;
}

/* Audited, and a record of the main process's kind: counts of its calls. */
struct calls {
	int mmaps, file_reads, zero_mmaps;
	const struct audit_rec *mmap, *reads, *read;
};

static bool count_calls(struct check *c, const struct trial *t, struct calls *n)
{
	const struct audit_log *log = &t->audit;
	int pid = audit_main_pid(log);
	const struct audit_rec *a;

	memset(n, 0, sizeof(*n));
	if (pid == 0) {
		char *seen = xasprintf("$ %s\n%s", t->cmdline, _("no audit record at all"));
		check_fail(c, _("the audit library's records of the run"), seen, "%s",
			   _("the grader could not see a single call of the program: it did not "
			     "load the audit library (statically linked, or it never got to main)"));
		free(seen);
		return false;
	}
	for (size_t pos = 0; (a = audit_next(log, &pos, pid, AUDIT_ANY)) != NULL;) {
		if (a->call == AUDIT_MMAP && a->ret != -1 && S_ISREG((mode_t)a->arg[AUDIT_MMAP_FMODE])) {
			n->mmaps++;
			n->mmap = a;
		} else if (a->call == AUDIT_MMAP && a->arg[AUDIT_MMAP_LENGTH] == 0) {
			n->zero_mmaps++;
		} else if (a->call == AUDIT_READ && S_ISREG((mode_t)a->arg[AUDIT_READ_FMODE])) {
			n->file_reads++;
			n->read = a;
		} else if (a->call == AUDIT_READS) {
			n->reads = a;
		}
	}
	return true;
}

static bool rule_fail(struct check *c, const struct trial *t, const char *want, const char *seen,
		      const char *hint)
{
	char *s = xasprintf("$ %s\n%s", t->cmdline, seen);

	check_fail(c, want, s, "%s", hint);
	free(s);
	return false;
}

static bool read_rules(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		       size_t nruns)
{
	const struct trial *t = &runs[0]->t;
	struct calls n;
	char seen[200];

	(void)def;
	(void)nruns;
	if (!count_calls(c, t, &n))
		return false;
	if (n.mmaps > 0) {
		snprintf(seen, sizeof(seen), _("%d mmap of the file"), n.mmaps);
		return rule_fail(c, t, _("read() of the file, no mmap"), seen, _("sum_read gets the "
				 "bytes with read() only: the mapping is sum_mmap's way"));
	}
	if (n.file_reads == 0)
		return rule_fail(c, t, _("read() of the file, no mmap"), _("no read() or pread() of "
				 "the file"), _("read the file with read(2) into your buffer: stdio's "
				 "fread reads it out of the grader's sight"));
	check_pass(c);
	return true;
}

static bool mmap_rules(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		       size_t nruns)
{
	const struct lab_run *r = runs[0];
	size_t size = ((const struct sum_want *)r->want)->size;
	struct calls n;
	char seen[200];

	(void)def;
	(void)nruns;
	if (!count_calls(c, &r->t, &n))
		return false;
	if (n.file_reads > 0)
		return rule_fail(c, &r->t, _("one mmap of the whole file, no read()"),
				 _("read() of the file"), _("sum_mmap reaches the bytes through the "
				 "pointer only: no read() -- that is the document's point"));
	if (n.mmaps != 1) {
		snprintf(seen, sizeof(seen), _("%d mmap calls of the file"), n.mmaps);
		return rule_fail(c, &r->t, _("one mmap of the whole file, no read()"), seen,
				 n.mmaps == 0 ? _("map the file: one mmap of its whole size")
				 : _("map the whole file once: a mapping per window costs a system "
				     "call, its page faults and a munmap each time"));
	}
	if (n.mmap->arg[AUDIT_MMAP_OFFSET] != 0 ||
	    (uint64_t)n.mmap->arg[AUDIT_MMAP_LENGTH] < size) {
		snprintf(seen, sizeof(seen), _("mmap of %lld bytes from offset %lld of a %zu-byte file"),
			 (long long)n.mmap->arg[AUDIT_MMAP_LENGTH],
			 (long long)n.mmap->arg[AUDIT_MMAP_OFFSET], size);
		return rule_fail(c, &r->t, _("one mmap of the whole file, no read()"), seen,
				 _("map all of it: offset 0, the file's size from fstat"));
	}
	check_pass(c);
	return true;
}

static bool empty_unmapped(struct check *c, const struct lab_check *def,
			   struct lab_run *const *runs, size_t nruns)
{
	const struct lab_run *r = runs[0];
	struct calls n;

	(void)def;
	(void)nruns;
	if (!count_calls(c, &r->t, &n))
		return false;
	if (n.mmaps + n.zero_mmaps == 0) {
		check_pass(c);
		return true;
	}
	return rule_fail(c, &r->t, _("no mmap for an empty file"), _("an mmap of the empty file"),
			 _("an empty file cannot be mapped (EINVAL for 0 bytes): print the hash of "
			   "no bytes without mapping -- pitfall 4: 「当映射文件大小为0时,不能创建映射区。」 "
			   "(\"a file of size 0 cannot be mapped\")"));
}

/* What the big run's calls say limits the program's speed. */
static char *limit_note(const struct lab_run *r, bool reads)
{
	size_t size = ((const struct sum_want *)r->want)->size;
	struct check scratch = { 0 };
	struct calls n;

	if (!count_calls(&scratch, &r->t, &n)) {
		free(scratch.expected);
		free(scratch.actual);
		free(scratch.hint);
		return xstrdup(_("its calls were not seen: measure it yourself (the handout says how)"));
	}
	/* The totals at exit, else (a run that did not exit) its first read. */
	long long most = n.reads ? n.reads->arg[AUDIT_READS_MAXCOUNT]
			 : n.read ? n.read->arg[AUDIT_READ_COUNT] : -1;
	if (reads && most > 0) {
		const char *why = most < 4096
			? _("one system call per few bytes -- the system calls limit it; a buffer "
			    "of 64 KiB or more makes them cost little next to the hash")
			: _("the calls cost little -- the hashing loop limits it: the grader "
			    "compiles without optimisation, so the loop's shape shows");
		if (n.reads == NULL)
			return xasprintf(_("read() calls of %lld bytes: %s"), most, why);
		return xasprintf(_("%lld read() calls for %zu bytes, %lld bytes at most each: %s"),
				 (long long)n.reads->arg[AUDIT_READS_CALLS], size, most, why);
	}
	if (!reads && n.mmaps > 1)
		return xasprintf(_("%d mmap calls for %zu bytes, one per window: each costs a system "
				   "call, the page faults of its pages and a munmap -- one mapping of "
				   "the whole file pays once"), n.mmaps, size);
	return xstrdup(reads ? _("the reads and the hashing loop limit it")
			     : _("one mmap: its page faults and the hashing loop limit it -- "
				 "MAP_POPULATE or MADV_SEQUENTIAL change the faults, the loop's shape "
				 "(compiled without optimisation) the rest"));
}

static void plan_prog(struct lab_plan *p, unsigned *rnd, const char *prog, bool mmap)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *usage = xasprintf("%s bad usage", prog);

	plan_sum(p, prog, "empty", rnd, 0);
	plan_sum(p, prog, "1", rnd, 1);
	plan_sum(p, prog, "page-1", rnd, pg - 1);
	plan_sum(p, prog, "page", rnd, pg);
	plan_sum(p, prog, "page+1", rnd, pg + 1);
	/* A 1-byte reader makes a system call per byte: right, so its answer
	 * is judged, with time enough to give it however busy the machine. */
	struct lab_run *big = plan_sum(p, prog, "big", rnd, ((size_t)BIG_MIB << 20) +
				       rand_between(rnd, 1, (unsigned)pg - 1));
	big->cpu_sec = 5;
	big->wall_sec = 20;
	plan_run(p, usage, prog, (const char *[]){ NULL });
	plan_run(p, usage, prog, (const char *[]){ "-x", "data.bin", NULL });
	plan_run(p, usage, prog, (const char *[]){ "data.bin", "data.bin", NULL });
	static const char *const calls[] = { "open", "close", "mmap", "munmap" };
	for (size_t i = 0; i < (mmap ? 4 : 2); i++)
		plan_call_fault(p, prog, prog, (const char *[]){ "data.bin", NULL }, calls[i],
				"")->prepare = put_fault_file;
	free(usage);
}

static void plan(struct lab_plan *p, unsigned seed)
{
	unsigned rnd = seed ^ 0x06060606u;

	plan_prog(p, &rnd, "sum_read", false);
	plan_prog(p, &rnd, "sum_mmap", true);
}

/* Were prog's answers all right?  (Its checks said why not.) */
static bool all_right(struct lab_run *const *runs, size_t n, const char *prog)
{
	struct check scratch = { 0 };
	bool right = true;

	for (size_t i = 0; i < n; i++)
		if (strcmp(runs[i]->prog, prog) == 0 && runs[i]->prepare == put_file)
			right &= judge_sum(&scratch, &runs[i]->t, runs[i]->want);
	free(scratch.expected);
	free(scratch.actual);
	free(scratch.hint);
	return right;
}

static const struct lab_run *run_named(struct lab_run *const *runs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(runs[i]->name, name) == 0)
			return runs[i];
	die("lab 06 has no run %s", name);
}

/* Speed last, one run at a time, with every other run of the lab done. */
static void speed(const struct grader *g, struct lab_result *lab, struct lab_run *const *runs,
		  size_t n)
{
	unsigned rnd = g->seed ^ 0x60606060u;
	struct speed_bench bench = { 0 };

	speed_setup(g, &bench, &rnd);
	char *note = limit_note(run_named(runs, n, "sum_read big"), true);
	judge_speed(g, lab, &bench, "sum-read.speed", "sum_read", "read", 4,
		    all_right(runs, n, "sum_read"), note);
	free(note);
	note = limit_note(run_named(runs, n, "sum_mmap big"), false);
	judge_speed(g, lab, &bench, "sum-mmap.speed", "sum_mmap", "mmap", 4,
		    all_right(runs, n, "sum_mmap"), note);
	free(note);
	speed_free(&bench);
}

static const struct lab_check checks[] = {
	{ "sum-read.empty", 1, N_("sum_read: an empty file"), ROW_LINE, { "sum_read empty" }, sums },
	{ "sum-read.pages", 2, N_("sum_read: 1 byte, a page less one byte, a page, a page and one "
				  "byte"), ROW_LINE,
	  { "sum_read 1", "sum_read page-1", "sum_read page", "sum_read page+1" }, sums },
	{ "sum-read.big", 1, N_("sum_read: %s random bytes"), ROW_LINE, { "sum_read big" }, sums },
	{ "sum-read.reads", 1, N_("sum_read reads the file with read() and never maps it"),
	  ROW_READ, { "sum_read big" }, read_rules },
	{ "sum-read.open-fails", 1, N_("sum_read: a failing open is caught"), RULE_CALLS_CHECKED,
	  { "sum_read no open" }, judge_call_caught },
	{ "sum-read.close-fails", 1, N_("sum_read: a failing close is caught"), RULE_CALLS_CHECKED,
	  { "sum_read no close" }, judge_call_caught },
	{ "sum-read.fail-message", 1, N_("sum_read: a failed call is reported as sum_read: CALL: "
					 "reason"), RULE_CALLS_CHECKED, { "sum_read no *" },
	  judge_call_message },
	{ "sum-read.bad-usage", 1, N_("sum_read: bad usage: exit 2, a usage line on stderr"),
	  RULE_USAGE, { "sum_read bad usage" }, judge_refuses_usage },
	{ "sum-mmap.empty", 1, N_("sum_mmap: an empty file"), ROW_LINE, { "sum_mmap empty" }, sums },
	{ "sum-mmap.pages", 2, N_("sum_mmap: 1 byte, a page less one byte, a page, a page and one "
				  "byte"), ROW_LINE,
	  { "sum_mmap 1", "sum_mmap page-1", "sum_mmap page", "sum_mmap page+1" }, sums },
	{ "sum-mmap.big", 1, N_("sum_mmap: %s random bytes"), ROW_LINE, { "sum_mmap big" }, sums },
	{ "sum-mmap.one-mmap", 1, N_("sum_mmap makes one mmap of the whole file and never reads it"),
	  ROW_MMAP, { "sum_mmap big" }, mmap_rules },
	{ "sum-mmap.empty-unmapped", 1, N_("sum_mmap does not map an empty file (pitfall 4)"),
	  ROW_MMAP, { "sum_mmap empty" }, empty_unmapped },
	{ "sum-mmap.fd-closed", 1, N_("sum_mmap closes the descriptor right after mmap"), RULE_CLOSE,
	  { "sum_mmap big" }, judge_closes_after_mmap },
	{ "sum-mmap.munmap", 1, N_("sum_mmap unmaps exactly what it mapped"), RULE_MUNMAP,
	  { "sum_mmap big" }, judge_unmaps_exactly },
	{ "sum-mmap.mmap-fails", 1, N_("sum_mmap: a failing mmap is caught (pitfall 7)"),
	  RULE_CALLS_CHECKED, { "sum_mmap no mmap" }, judge_call_caught },
	{ "sum-mmap.open-close-fail", 1, N_("sum_mmap: a failing open, close or munmap is caught"),
	  RULE_CALLS_CHECKED, { "sum_mmap no open", "sum_mmap no close", "sum_mmap no munmap" },
	  judge_call_caught },
	{ "sum-mmap.fail-message", 1, N_("sum_mmap: a failed call is reported as sum_mmap: CALL: "
					 "reason"), RULE_CALLS_CHECKED, { "sum_mmap no *" },
	  judge_call_message },
	{ "sum-mmap.bad-usage", 1, N_("sum_mmap: bad usage: exit 2, a usage line on stderr"),
	  RULE_USAGE, { "sum_mmap bad usage" }, judge_refuses_usage },
	{ 0 }
};

const struct lab lab_read_vs_mmap = {
	.id = LAB06,
	.programs = (const char *const[]){ "sum_read", "sum_mmap", NULL },
	.plan = plan,
	.checks = checks,
	.after = speed,
};
