/*
 * lab05_pitfalls.c: the checks of lab 05, mmap_cat FILE [OFFSET [LENGTH]]
 * (SPEC §1's row 05-pitfalls): the document's seven pitfalls, each told
 * apart by a run made to show it.
 *
 * The output is compared byte for byte (files hold NUL bytes); the calls
 * the audit library saw show what the output cannot: the open mode, the
 * mapping's offset and length, the munmap, the close.  A failed check names
 * its pitfall and quotes the document's line for it (lab05_judge.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "labs/clauses.h"
#include "labs/faults.h"
#include "labs/judges.h"
#include "labs/lab05_judge.h"
#include "labs/labs.h"
#include "labs/random.h"
#include "run/sys.h"

#define ROW_BYTES N_("§1 lab 05: stdout exactly bytes OFFSET .. OFFSET+LENGTH-1 of FILE (fewer " \
		     "where FILE ends first), written with write, NUL bytes included")
#define ROW_RDONLY N_("§1 lab 05: FILE opened O_RDONLY (it works on a read-only file) and " \
		      "mapped PROT_READ (pitfalls 1, 2)")
#define ROW_EMPTY N_("§1 lab 05: an empty file or a LENGTH of 0 prints nothing and exits 0 " \
		     "without a 0-length mmap (4)")
#define ROW_PAST_END N_("§1 lab 05: an OFFSET at or past the end of FILE is refused with exit 1")
#define ROW_PAGES N_("§1 lab 05: the mapping starts at OFFSET rounded down to a multiple of " \
		     "the page size (sysconf(_SC_PAGESIZE), never a literal 4096) and covers " \
		     "only the pages the range needs (6)")
#define ROW_MUNMAP N_("§1 lab 05: munmap gets the address mmap returned, not the pointer to " \
		      "OFFSET (5)")

/* A run's file and range, in one allocation (the engine frees want). */
struct cat_want {
	const char *file;
	size_t size, offset, length;	/* length SIZE_MAX: not given */
	bool read_only;
	char data[];
};

static long page(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* Puts the run's file in its folder before it starts. */
static void put_file(const struct lab_run *r, const char *dir)
{
	const struct cat_want *w = r->want;
	char *path = xasprintf("%s/%s", dir, w->file);

	if (write_file(path, w->data, w->size) == -1 || chmod(path, w->read_only ? 0444 : 0666) == -1)
		die_errno("cannot make %s", path);
	free(path);
}

/* The fault runs' file: two pages, so that mmap, close and munmap are made. */
static void put_fault_file(const struct lab_run *r, const char *dir)
{
	char *path = xasprintf("%s/f.bin", dir), data[8192];

	(void)r;
	memset(data, 'x', sizeof(data));
	if (write_file(path, data, sizeof(data)) == -1)
		die_errno("cannot make %s", path);
	free(path);
}

/* mmap_cat FILE [OFFSET [LENGTH]] on a file of size random bytes, a fifth of
 * them NUL (mode 0666, or 0444 when read_only); SIZE_MAX: not given. */
static struct lab_run *plan_cat(struct lab_plan *p, const char *name, unsigned *rnd,
				const char *file, size_t size, bool read_only, size_t offset,
				size_t length)
{
	char off[24], len[24];
	const char *args[4] = { file, NULL, NULL, NULL };
	struct cat_want *w = xmalloc(sizeof(*w) + size + 1);

	*w = (struct cat_want){ file, size, offset == SIZE_MAX ? 0 : offset, length, read_only };
	for (size_t i = 0; i < size; i++)
		w->data[i] = rand_between(rnd, 0, 4) == 0 ? '\0' : (char)rand_between(rnd, 1, 255);
	if (offset != SIZE_MAX) {
		snprintf(off, sizeof(off), "%zu", offset);
		args[1] = off;
	}
	if (length != SIZE_MAX) {
		snprintf(len, sizeof(len), "%zu", length);
		args[2] = len;
	}
	struct lab_run *r = plan_run(p, name, "mmap_cat", args);
	r->want = w;
	r->prepare = put_file;
	return r;
}

/* An offset a few bytes past a page boundary inside a size-byte file. */
static size_t near_boundary(unsigned *rnd, size_t size)
{
	size_t pages = size / (size_t)page();
	size_t at = (size_t)page() * rand_between(rnd, 1, (unsigned)(pages > 1 ? pages - 1 : 1));

	return (at + rand_between(rnd, 1, 5)) % size;
}

/* FAKE_PAGE, as the check's title spells it out (a message holds no macro). */
static const char *const told_pages[] = { "MMAPAUDIT_PAGESIZE=" XSTR(FAKE_PAGE), NULL };
_Static_assert(FAKE_PAGE == 16384, "the title of mmap-cat.page-size says 16384");

static void plan(struct lab_plan *p, unsigned seed)
{
	unsigned rnd = seed ^ 0x05050505u, pg = (unsigned)page();
	size_t size = 3 * (size_t)pg + rand_between(&rnd, 1, pg - 1);

	plan_cat(p, "default", &rnd, "data", size, false, SIZE_MAX, SIZE_MAX);
	plan_cat(p, "read-only", &rnd, "readonly.dat", size, true, SIZE_MAX, SIZE_MAX);
	for (int i = 1; i <= 3; i++) {
		char name[16];
		size = (size_t)pg * rand_between(&rnd, 2, 8) + rand_between(&rnd, 0, pg);
		size_t offset = near_boundary(&rnd, size);
		if (offset % pg == 0)	/* off a page, for the munmap check */
			offset++;
		size_t length = rand_between(&rnd, 1, 2 * pg);
		if (offset + length > size)
			length = size - offset;
		snprintf(name, sizeof(name), "random %d", i);
		plan_cat(p, name, &rnd, "f.bin", size, false, offset, length);
	}
	plan_cat(p, "page+1", &rnd, "page1.bin", (size_t)pg + 1, false, SIZE_MAX, SIZE_MAX);
	plan_cat(p, "page+1 last", &rnd, "page1.bin", (size_t)pg + 1, false, pg, SIZE_MAX);
	/* Told 16 KiB pages: an offset 1-3 small pages into a big one. */
	size = 4 * (size_t)FAKE_PAGE + rand_between(&rnd, 1, pg);
	size_t offset = (size_t)FAKE_PAGE * rand_between(&rnd, 1, 2) +
			(size_t)pg * rand_between(&rnd, 1, 3) + rand_between(&rnd, 1, 100);
	plan_cat(p, "pagesize", &rnd, "big.bin", size, false, offset,
		 rand_between(&rnd, 100, 2 * pg))->env = told_pages;
	/* A few pages of a 64-page file. */
	plan_cat(p, "few pages", &rnd, "many.bin", 64 * (size_t)pg, false,
		 (size_t)pg * rand_between(&rnd, 20, 50) + rand_between(&rnd, 1, 99),
		 (size_t)pg + rand_between(&rnd, 1, pg / 2));
	/* LENGTH four pages, past the end of a file of two pages and a bit. */
	size = 2 * (size_t)pg + rand_between(&rnd, 10, 200);
	plan_cat(p, "past end", &rnd, "short.bin", size, false, (size_t)pg + rand_between(&rnd, 1, 99),
		 4 * (size_t)pg);
	plan_cat(p, "empty", &rnd, "empty", 0, false, SIZE_MAX, SIZE_MAX);
	/* From 0: a program that maps the range regardless maps 0 bytes. */
	plan_cat(p, "length 0", &rnd, "f.bin", rand_between(&rnd, 10, 999), false, 0, 0);
	size = rand_between(&rnd, 10, 3 * pg);
	plan_cat(p, "at end", &rnd, "f.bin", size, false, size, SIZE_MAX);
	plan_cat(p, "beyond", &rnd, "f.bin", size, false, size + rand_between(&rnd, 1, 9000), 10);
	plan_run(p, "bad usage", "mmap_cat", (const char *[]){ "-x", "f", NULL });
	plan_run(p, "bad usage", "mmap_cat", (const char *[]){ "f", "12x", NULL });
	plan_run(p, "bad usage", "mmap_cat", (const char *[]){ "f", "-7", NULL });
	plan_run(p, "bad usage", "mmap_cat", (const char *[]){ "f", "1", "2", "3", NULL });
	static const char *const calls[] = { "open", "mmap", "close", "munmap" };
	for (size_t i = 0; i < 4; i++)
		plan_call_fault(p, "", "mmap_cat", (const char *[]){ "f.bin", NULL }, calls[i],
				"")->prepare = put_fault_file;
}

/* A lab run as lab05_judge.c's judgments see it. */
static struct cat_run view(const struct lab_run *r)
{
	const struct cat_want *w = r->want;

	return (struct cat_run){ .t = r->t, .file = w->file, .data = w->data, .size = w->size,
				 .offset = w->offset, .length = w->length };
}

/* Every run, in turn, by one; false (and the run blamed) at the first that fails. */
#define EACH_RUN(one)                                   \
	(void)def;                                      \
	for (size_t i = 0; i < n; i++) {                \
		struct cat_run v = view(runs[i]);       \
		if (!(one)) {                           \
			blame(c, runs[i]);              \
			return false;                   \
		}                                       \
	}                                               \
	return true

static bool output(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		   size_t n)
{
	EACH_RUN(judge_cat_output(c, &v, page()));
}

static bool read_only(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		      size_t n)
{
	EACH_RUN(judge_read_only(c, &v));
}

static bool page_size(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		      size_t n)
{
	EACH_RUN(judge_page_size(c, &v));
}

static bool few_pages(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		      size_t n)
{
	EACH_RUN(judge_few_pages(c, &v, page()));
}

static bool within_pages(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
			 size_t n)
{
	EACH_RUN(judge_within_pages(c, &v, page()));
}

static bool refused(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		    size_t n)
{
	EACH_RUN(judge_cat_refused(c, &v));
}

static bool munmap_base(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
			size_t n)
{
	EACH_RUN(judge_munmap_base(c, &v));
}

/* The mmap fault run, told of MAP_FAILED when it went on with (void *)-1. */
static bool map_failed(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		       size_t n)
{
	bool caught = judge_call_caught(c, def, runs, n);
	/* "Caught" by accident: what failed next (a write from (void *)-1)
	 * stopped it, and it never said mmap. */
	if (map_failed_hint(c, &runs[0]->t))
		return false;
	return caught || with_quote(c, 7);
}

static bool closed(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		   size_t n)
{
	return judge_closes_after_mmap(c, def, runs, n) || with_quote(c, 3);
}

static const struct lab_check checks[] = {
	{ "mmap-cat.default", 2, N_("default run prints the whole file, NUL bytes included"),
	  ROW_BYTES, { "default" }, output },
	{ "mmap-cat.read-only-file", 2, N_("a read-only file (mode 0444) is printed (pitfalls 1, 2)"),
	  ROW_RDONLY, { "read-only" }, output },
	{ "mmap-cat.o-rdonly", 1, N_("FILE is opened O_RDONLY and mapped PROT_READ (pitfalls 1, 2)"),
	  ROW_RDONLY, { "default" }, read_only },
	{ "mmap-cat.random-1", 2, N_("random run 1: %s"), ROW_BYTES, { "random 1" }, output },
	{ "mmap-cat.random-2", 2, N_("random run 2: %s"), ROW_BYTES, { "random 2" }, output },
	{ "mmap-cat.random-3", 2, N_("random run 3: %s"), ROW_BYTES, { "random 3" }, output },
	{ "mmap-cat.page-plus-one", 1, N_("a file one byte longer than a page: all of it, and its "
					  "last byte alone (%s)"), ROW_BYTES,
	  { "page+1", "page+1 last" }, output },
	{ "mmap-cat.page-size", 2, N_("OFFSET is rounded down with sysconf(_SC_PAGESIZE), never a "
				      "literal 4096 (pitfall 6): %s, told pages are 16384 bytes"),
	  ROW_PAGES, { "pagesize" }, page_size },
	{ "mmap-cat.few-pages", 1, N_("only the pages the range needs are mapped (pitfall 6): %s"),
	  ROW_PAGES, { "few pages" }, few_pages },
	{ "mmap-cat.past-end", 1, N_("LENGTH past the end of the file: the output ends where the "
				     "file does (%s)"), ROW_BYTES, { "past end" }, output },
	{ "mmap-cat.within-file", 1, N_("no page past the end of the file is mapped (pitfall 4)"),
	  ROW_EMPTY, { "past end" }, within_pages },
	{ "mmap-cat.empty-file", 1, N_("an empty file prints nothing, exit 0, without a 0-length "
				       "mmap (pitfall 4)"), ROW_EMPTY, { "empty" }, output },
	{ "mmap-cat.length-0", 1, N_("LENGTH 0 prints nothing, exit 0, without a 0-length mmap "
				     "(pitfall 4)"), ROW_EMPTY, { "length 0" }, output },
	{ "mmap-cat.offset-past-end", 1, N_("OFFSET at or past the end of FILE is refused (exit 1)"),
	  ROW_PAST_END, { "at end", "beyond" }, refused },
	{ "mmap-cat.fd-closed", 1, N_("the descriptor is closed right after mmap (pitfall 3)"),
	  RULE_CLOSE, { "random 1" }, closed },
	{ "mmap-cat.munmap", 1, N_("munmap gets the address mmap returned, not the pointer to "
				   "OFFSET (pitfall 5)"), ROW_MUNMAP, { "random 1" }, munmap_base },
	{ "mmap-cat.mmap-fails", 1, N_("a failing mmap is caught: MAP_FAILED checked (pitfall 7)"),
	  RULE_CALLS_CHECKED, { "no mmap" }, map_failed },
	{ "mmap-cat.open-fails", 1, N_("a failing open is caught"), RULE_CALLS_CHECKED,
	  { "no open" }, judge_call_caught },
	{ "mmap-cat.close-fails", 1, N_("a failing close or munmap is caught"), RULE_CALLS_CHECKED,
	  { "no close", "no munmap" }, judge_call_caught },
	{ "mmap-cat.fail-message", 1, N_("a failed call is reported as mmap_cat: CALL: reason"),
	  RULE_CALLS_CHECKED, { "no *" }, judge_call_message },
	{ "mmap-cat.bad-usage", 1, N_("bad usage: exit 2, a usage line on stderr"), RULE_USAGE,
	  { "bad usage" }, judge_refuses_usage },
	{ 0 }
};

const struct lab lab_pitfalls = {
	.id = LAB05,
	.programs = (const char *const[]){ "mmap_cat", NULL },
	.plan = plan,
	.checks = checks,
};
