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
#include "labs/judge.h"
#include "labs/lab05_judge.h"
#include "labs/random.h"
#include "labs/refusals.h"
#include "labs/lab06_speed.h"
#include "labs/labs.h"
#include "lang/lang.h"
#include "run/sys.h"

#define BASIS 0xcbf29ce484222325ULL
#define PRIME 0x100000001b3ULL
#define NSMALL 5		/* empty, 1 byte, page-1, page, page+1 */
#define BIG_MIB 2		/* "a few MiB": a 1-byte reader still ends in time */

/* A run of PROG FILE on a file of random bytes. */
struct sum_run {
	struct trial t;
	char *data;
	size_t size;
};

static void start(const struct grader *g, struct sum_run *r, unsigned *rnd, const char *prog,
		  size_t size, const char *env)
{
	memset(r, 0, sizeof(*r));
	r->size = size;
	r->data = xmalloc(size + 1);
	for (size_t i = 0; i < size; i++)
		r->data[i] = (char)rand_between(rnd, 0, 255);
	trial_init(g, &r->t);
	char *path = xasprintf("%s/data.bin", r->t.dir);
	if (write_file(path, r->data, size) == -1 || chmod(path, 0444) == -1)
		die_errno("cannot make %s", path);
	free(path);
	trial_start(g, &r->t, LAB06, prog, (const char *[]){ "data.bin", NULL },
		    env ? (const char *[]){ env, NULL } : NULL);
}

static void drop(struct sum_run *r)
{
	trial_free(&r->t);
	free(r->data);
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
static bool judge_sum(struct check *c, const struct sum_run *r)
{
	uint64_t want = fnv1a64(BASIS, r->data, r->size), hash;
	char *line = xasprintf("%016" PRIx64 " %zu\n", want, r->size);
	char *expected = xasprintf(_("exit 0, stdout:\n%s"), line);
	const struct run_stream *out = &r->t.res.out;
	unsigned long long count;
	int used = 0;
	bool ok = false;

	if (!judge_clean_exit(c, &r->t)) {
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
		char *seen = xasprintf("$ %s\n%s", r->t.cmdline, *shown ? shown : _("(nothing on stdout)"));
		check_fail(c, expected, seen, "%s", hint);
		free(shown);
		free(seen);
	}
	free(line);
	free(expected);
	return ok;
}

/* Every run of runs[0..n) right. */
static bool judge_sums(const struct grader *g, struct check *c, struct sum_run *runs, size_t n)
{
	bool ok = true;

	for (size_t i = 0; i < n; i++) {
		trial_finish(g, &runs[i].t);
		if (ok)
			ok = judge_sum(c, &runs[i]);
	}
	return ok;
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

static bool judge_read_rules(struct check *c, const struct trial *t)
{
	struct calls n;
	char seen[200];

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

static bool judge_mmap_rules(struct check *c, const struct sum_run *r)
{
	struct calls n;
	char seen[200];

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
	    (uint64_t)n.mmap->arg[AUDIT_MMAP_LENGTH] < r->size) {
		snprintf(seen, sizeof(seen), _("mmap of %lld bytes from offset %lld of a %zu-byte file"),
			 (long long)n.mmap->arg[AUDIT_MMAP_LENGTH],
			 (long long)n.mmap->arg[AUDIT_MMAP_OFFSET], r->size);
		return rule_fail(c, &r->t, _("one mmap of the whole file, no read()"), seen,
				 _("map all of it: offset 0, the file's size from fstat"));
	}
	check_pass(c);
	return true;
}

static bool judge_empty_unmapped(struct check *c, const struct sum_run *r)
{
	struct calls n;

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
static char *limit_note(const struct sum_run *r, bool reads)
{
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
				 (long long)n.reads->arg[AUDIT_READS_CALLS], r->size, most, why);
	}
	if (!reads && n.mmaps > 1)
		return xasprintf(_("%d mmap calls for %zu bytes, one per window: each costs a system "
				   "call, the page faults of its pages and a munmap -- one mapping of "
				   "the whole file pays once"), n.mmaps, r->size);
	return xstrdup(reads ? _("the reads and the hashing loop limit it")
			     : _("one mmap: its page faults and the hashing loop limit it -- "
				 "MAP_POPULATE or MADV_SEQUENTIAL change the faults, the loop's shape "
				 "(compiled without optimisation) the rest"));
}

/* One program's runs, started together. */
struct prog_runs {
	const char *prog;
	struct sum_run small[NSMALL], big, noopen, noclose, nomap, nomunmap;
	struct refusals usage;
};

static void start_prog(const struct grader *g, struct prog_runs *p, unsigned *rnd, bool mmap)
{
	long page = sysconf(_SC_PAGESIZE);
	const size_t sizes[NSMALL] = { 0, 1, (size_t)page - 1, (size_t)page, (size_t)page + 1 };
	/* A 1-byte reader makes a system call per byte: correct, so its
	 * answer is judged, with time enough to give it. */
	struct grader slow = *g;
	slow.limits.cpu_sec = 5;
	slow.limits.wall_sec = 20;

	for (int i = 0; i < NSMALL; i++)
		start(g, &p->small[i], rnd, p->prog, sizes[i], NULL);
	start(&slow, &p->big, rnd, p->prog, ((size_t)BIG_MIB << 20) + rand_between(rnd, 1, 4095),
	      NULL);
	start(g, &p->noopen, rnd, p->prog, 10, "MMAPAUDIT_FAIL=open:1:ENOENT");
	start(g, &p->noclose, rnd, p->prog, 10, "MMAPAUDIT_FAIL=close:1:EIO");
	if (mmap) {
		start(g, &p->nomap, rnd, p->prog, (size_t)page + 1, "MMAPAUDIT_FAIL=mmap:1:ENOMEM");
		start(g, &p->nomunmap, rnd, p->prog, 10, "MMAPAUDIT_FAIL=munmap:1:EINVAL");
	}
	refusals_start(g, &p->usage, LAB06, p->prog, true, (const char *const *[]){
			       (const char *[]){ NULL },
			       (const char *[]){ "-x", "data.bin", NULL },
			       (const char *[]){ "data.bin", "data.bin", NULL }, NULL });
}

/* Judges one program's runs; true when every answer was right. */
static bool judge_prog(const struct grader *g, struct lab_result *lab, struct prog_runs *p,
		       bool mmap)
{
	const char *prog = p->prog;
	bool right = judge_sums(g, lab_add_check(lab, 1, _("%s: an empty file"), prog), p->small, 1);
	right &= judge_sums(g, lab_add_check(lab, 2, _("%s: 1 byte, a page less one byte, a page, "
						      "a page and one byte"), prog),
			    p->small + 1, NSMALL - 1);
	right &= judge_sums(g, lab_add_check(lab, 1, _("%s: %zu random bytes"), prog,
					     p->big.size), &p->big, 1);
	if (mmap) {
		judge_mmap_rules(lab_add_check(lab, 1, _("sum_mmap makes one mmap of the whole file "
							 "and never reads it")), &p->big);
		judge_empty_unmapped(lab_add_check(lab, 1, _("sum_mmap does not map an empty file "
							     "(pitfall 4)")), &p->small[0]);
		struct check *c = lab_add_check(lab, 1, _("sum_mmap closes the descriptor after mmap "
							  "and unmaps exactly what it mapped"));
		if (judge_closed_after_mmap(c, trial_audited(&p->big.t)))
			judge_unmapped_exactly(c, trial_audited(&p->big.t));
		trial_finish(g, &p->nomap.t);
		judge_injected_failure(lab_add_check(lab, 1, _("sum_mmap: a failing mmap is caught "
							       "(pitfall 7)")), &p->nomap.t, prog,
				       "mmap", ENOMEM);
		trial_finish(g, &p->nomunmap.t);
		judge_caught_if_made(lab_add_check(lab, 1, _("sum_mmap: a failing munmap is "
							     "caught")), &p->nomunmap.t, prog,
				     "munmap", EINVAL);
	} else {
		judge_read_rules(lab_add_check(lab, 1, _("sum_read reads the file with read() and "
							 "never maps it")), &p->big.t);
	}
	trial_finish(g, &p->noclose.t);
	judge_caught_if_made(lab_add_check(lab, 1, _("%s: a failing close is caught"), prog),
			     &p->noclose.t, prog, "close", EIO);
	trial_finish(g, &p->noopen.t);
	judge_injected_failure(lab_add_check(lab, 1, _("%s: a missing file (open fails: %s)"), prog,
					     strerror(ENOENT)), &p->noopen.t, prog, "open", ENOENT);
	judge_refusals(g, lab_add_check(lab, 1, _("%s: bad usage: exit 2, a usage line on stderr"),
					prog), &p->usage);
	return right;
}

static void drop_prog(struct prog_runs *p, bool mmap)
{
	for (int i = 0; i < NSMALL; i++)
		drop(&p->small[i]);
	drop(&p->big);
	drop(&p->noopen);
	drop(&p->noclose);
	if (mmap) {
		drop(&p->nomap);
		drop(&p->nomunmap);
	}
}

static void grade(const struct grader *g, struct lab_result *lab)
{
	unsigned rnd = g->seed ^ 0x06060606u;
	struct prog_runs rd = { .prog = "sum_read" }, mm = { .prog = "sum_mmap" };
	struct speed_bench bench = { 0 };

	start_prog(g, &rd, &rnd, false);
	start_prog(g, &mm, &rnd, true);
	/* Built and written while the runs go on. */
	speed_setup(g, &bench, &rnd);
	bool rd_right = judge_prog(g, lab, &rd, false);
	bool mm_right = judge_prog(g, lab, &mm, true);

	/* Speed last, one run at a time: nothing else of this grading runs. */
	char *note = limit_note(&rd.big, true);
	judge_speed(g, lab, &bench, "sum_read", "read", 4, rd_right, note);
	free(note);
	note = limit_note(&mm.big, false);
	judge_speed(g, lab, &bench, "sum_mmap", "mmap", 4, mm_right, note);
	free(note);
	speed_free(&bench);
	drop_prog(&rd, false);
	drop_prog(&mm, true);
}

const struct lab lab_read_vs_mmap = {
	.id = LAB06,
	.programs = (const char *const[]){ "sum_read", "sum_mmap", NULL },
	.grade = grade,
};
