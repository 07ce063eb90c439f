/*
 * lab05_pitfalls.c: checks of lab 05, mmap_cat FILE [OFFSET [LENGTH]]: the
 * document's seven pitfalls, each told apart by a run made to show it.
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

#include "audit/checks.h"
#include "labs/judge.h"
#include "labs/random.h"
#include "labs/refusals.h"
#include "labs/lab05_judge.h"
#include "labs/labs.h"
#include "lang/lang.h"
#include "run/sys.h"

/* Random bytes, a fifth of them NUL: a program that prints with "%s" stops
 * at the first. */
static char *random_bytes(unsigned *rnd, size_t len)
{
	char *s = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		s[i] = rand_between(rnd, 0, 4) == 0 ? '\0' : (char)rand_between(rnd, 1, 255);
	return s;
}

/* Starts mmap_cat FILE [OFFSET [LENGTH]] on a file of size random bytes
 * (mode 0666, or 0444 when read_only); offset or length SIZE_MAX: not given. */
static void start(const struct grader *g, struct cat_run *r, unsigned *rnd, const char *file,
		  size_t size, bool read_only, size_t offset, size_t length, const char *env)
{
	char off[24], len[24];
	const char *args[4] = { file, NULL, NULL, NULL };

	memset(r, 0, sizeof(*r));
	r->file = file;
	r->data = random_bytes(rnd, size);
	r->size = size;
	r->offset = offset == SIZE_MAX ? 0 : offset;
	r->length = length;
	if (offset != SIZE_MAX) {
		snprintf(off, sizeof(off), "%zu", offset);
		args[1] = off;
	}
	if (length != SIZE_MAX) {
		snprintf(len, sizeof(len), "%zu", length);
		args[2] = len;
	}
	trial_init(g, &r->t);
	char *path = xasprintf("%s/%s", r->t.dir, file);
	if (write_file(path, r->data, size) == -1 || chmod(path, read_only ? 0444 : 0666) == -1)
		die_errno("cannot make %s", path);
	free(path);
	trial_start(g, &r->t, LAB05, "mmap_cat", args,
		    env ? (const char *[]){ env, NULL } : NULL);
}

static void finish(const struct grader *g, struct cat_run *r)
{
	trial_finish(g, &r->t);
}

static void drop(struct cat_run *r)
{
	trial_free(&r->t);
	free(r->data);
}

/* An offset a few bytes either side of a page boundary of a size-byte file. */
static size_t near_boundary(unsigned *rnd, size_t size, long page)
{
	size_t pages = size / (size_t)page;
	size_t at = (size_t)page * rand_between(rnd, 1, (unsigned)(pages > 1 ? pages - 1 : 1));

	return (at + rand_between(rnd, 1, 5)) % size;
}

/* The runs whose output and calls are judged; started together. */
struct runs {
	struct cat_run dflt, ro, random[3], one_page, one_last, pagesize, few, past, empty, zero,
		at_end, beyond, nomap, noopen, noclose, nomunmap;
};

static void start_runs(const struct grader *g, struct runs *s, unsigned *rnd, long page)
{
	size_t size = 3 * (size_t)page + rand_between(rnd, 1, (unsigned)page - 1);

	start(g, &s->dflt, rnd, "data", size, false, SIZE_MAX, SIZE_MAX, NULL);
	start(g, &s->ro, rnd, "readonly.dat", size, true, SIZE_MAX, SIZE_MAX, NULL);
	for (int i = 0; i < 3; i++) {
		size = (size_t)page * rand_between(rnd, 2, 8) + rand_between(rnd, 0, (unsigned)page);
		/* The first starts off a page, for the munmap check. */
		size_t offset = near_boundary(rnd, size, page);
		if (offset % (size_t)page == 0)
			offset++;
		size_t length = rand_between(rnd, 1, 2 * (unsigned)page);
		if (offset + length > size)
			length = size - offset;
		start(g, &s->random[i], rnd, "f.bin", size, false, offset, length, NULL);
	}
	start(g, &s->one_page, rnd, "page1.bin", (size_t)page + 1, false, SIZE_MAX, SIZE_MAX, NULL);
	start(g, &s->one_last, rnd, "page1.bin", (size_t)page + 1, false, (size_t)page, SIZE_MAX,
	      NULL);
	/* Told 16 KiB pages: an offset 1-3 small pages into a big one. */
	size = 4 * (size_t)FAKE_PAGE + rand_between(rnd, 1, (unsigned)page);
	size_t offset = (size_t)FAKE_PAGE * rand_between(rnd, 1, 2) +
			(size_t)page * rand_between(rnd, 1, 3) + rand_between(rnd, 1, 100);
	start(g, &s->pagesize, rnd, "big.bin", size, false, offset,
	      rand_between(rnd, 100, 2 * (unsigned)page), "MMAPAUDIT_PAGESIZE=" XSTR(FAKE_PAGE));
	/* A few pages of a 64-page file. */
	start(g, &s->few, rnd, "many.bin", 64 * (size_t)page, false,
	      (size_t)page * rand_between(rnd, 20, 50) + rand_between(rnd, 1, 99),
	      (size_t)page + rand_between(rnd, 1, (unsigned)page / 2), NULL);
	/* LENGTH three pages past the end of a file of two pages and a bit. */
	size = 2 * (size_t)page + rand_between(rnd, 10, 200);
	start(g, &s->past, rnd, "short.bin", size, false, (size_t)page + rand_between(rnd, 1, 99),
	      4 * (size_t)page, NULL);
	start(g, &s->empty, rnd, "empty", 0, false, SIZE_MAX, SIZE_MAX, NULL);
	/* From 0: a program that maps the range regardless maps 0 bytes. */
	start(g, &s->zero, rnd, "f.bin", rand_between(rnd, 10, 999), false, 0, 0, NULL);
	size = rand_between(rnd, 10, 3 * (unsigned)page);
	start(g, &s->at_end, rnd, "f.bin", size, false, size, SIZE_MAX, NULL);
	start(g, &s->beyond, rnd, "f.bin", size, false, size + rand_between(rnd, 1, 9000), 10, NULL);
	start(g, &s->nomap, rnd, "f.bin", 2 * (size_t)page, false, SIZE_MAX, SIZE_MAX,
	      "MMAPAUDIT_FAIL=mmap:1:ENOMEM");
	start(g, &s->noopen, rnd, "f.bin", 100, false, SIZE_MAX, SIZE_MAX,
	      "MMAPAUDIT_FAIL=open:1:ENOENT");
	start(g, &s->noclose, rnd, "f.bin", 100, false, SIZE_MAX, SIZE_MAX,
	      "MMAPAUDIT_FAIL=close:1:EIO");
	start(g, &s->nomunmap, rnd, "f.bin", 100, false, SIZE_MAX, SIZE_MAX,
	      "MMAPAUDIT_FAIL=munmap:1:EINVAL");
}

static void grade(const struct grader *g, struct lab_result *lab)
{
	unsigned rnd = g->seed ^ 0x05050505u;
	long page = sysconf(_SC_PAGESIZE);
	struct runs s;
	struct refusals bad_usage;

	start_runs(g, &s, &rnd, page);
	refusals_start(g, &bad_usage, LAB05, "mmap_cat", true, (const char *const *[]){
			       (const char *[]){ "-x", "f", NULL },
			       (const char *[]){ "f", "12x", NULL },
			       (const char *[]){ "f", "-7", NULL },
			       (const char *[]){ "f", "1", "2", "3", NULL }, NULL });

	finish(g, &s.dflt);
	judge_cat_output(lab_add_check(lab, 2, _("default run prints the whole file, NUL bytes "
						    "included")), &s.dflt, page);
	finish(g, &s.ro);
	judge_cat_output(lab_add_check(lab, 2, _("a read-only file (mode 0444) is printed "
						    "(pitfalls 1, 2)")), &s.ro, page);
	judge_read_only(lab_add_check(lab, 1, _("FILE is opened O_RDONLY and mapped PROT_READ "
					       "(pitfalls 1, 2)")), &s.dflt);
	for (int i = 0; i < 3; i++) {
		finish(g, &s.random[i]);
		judge_cat_output(lab_add_check(lab, 2, _("random run %d: %s"), i + 1,
					       s.random[i].t.cmdline), &s.random[i], page);
	}
	finish(g, &s.one_page);
	finish(g, &s.one_last);
	struct check *c = lab_add_check(lab, 1, _("a file one byte longer than a page (%ld bytes): "
						  "all of it, and its last byte alone"), page + 1);
	if (judge_cat_output(c, &s.one_page, page))
		judge_cat_output(c, &s.one_last, page);
	finish(g, &s.pagesize);
	judge_page_size(lab_add_check(lab, 2, _("OFFSET is rounded down with "
					       "sysconf(_SC_PAGESIZE), never a literal 4096 "
					       "(pitfall 6): %s, told pages are %d bytes"),
				      s.pagesize.t.cmdline, FAKE_PAGE), &s.pagesize);
	finish(g, &s.few);
	judge_few_pages(lab_add_check(lab, 1, _("only the pages the range needs are mapped "
					       "(pitfall 6): %s"), s.few.t.cmdline), &s.few, page);
	finish(g, &s.past);
	judge_cat_output(lab_add_check(lab, 1, _("LENGTH past the end of the file: the output "
						"ends where the file does (%s)"), s.past.t.cmdline),
			 &s.past, page);
	judge_within_pages(lab_add_check(lab, 1, _("no page past the end of the file is mapped "
						  "(pitfall 4)")), &s.past, page);
	finish(g, &s.empty);
	judge_cat_output(lab_add_check(lab, 1, _("an empty file prints nothing, exit 0, without a "
						"0-length mmap (pitfall 4)")), &s.empty, page);
	finish(g, &s.zero);
	judge_cat_output(lab_add_check(lab, 1, _("LENGTH 0 prints nothing, exit 0, without a "
						"0-length mmap (pitfall 4)")), &s.zero, page);
	finish(g, &s.at_end);
	finish(g, &s.beyond);
	c = lab_add_check(lab, 1, _("OFFSET at or past the end of FILE is refused (exit 1)"));
	if (judge_cat_refused(c, &s.at_end))
		judge_cat_refused(c, &s.beyond);
	judge_closed_after_mmap(lab_add_check(lab, 1, _("the descriptor is closed right after mmap "
						       "(pitfall 3)")), trial_audited(&s.random[0].t));
	judge_munmap_base(lab_add_check(lab, 1, _("munmap gets the address mmap returned, not the "
						 "pointer to OFFSET (pitfall 5)")), &s.random[0]);
	finish(g, &s.nomap);
	judge_map_failed(lab_add_check(lab, 1, _("a failing mmap is caught: MAP_FAILED checked "
						"(pitfall 7)")), &s.nomap);
	finish(g, &s.noopen);
	judge_injected_failure(lab_add_check(lab, 1, _("a missing file: mmap_cat: open: %s, exit 1"),
					     strerror(ENOENT)), &s.noopen.t, "mmap_cat", "open",
			       ENOENT);
	finish(g, &s.noclose);
	finish(g, &s.nomunmap);
	c = lab_add_check(lab, 1, _("a failing close or munmap is caught"));
	if (judge_caught_if_made(c, &s.noclose.t, "mmap_cat", "close", EIO))
		judge_caught_if_made(c, &s.nomunmap.t, "mmap_cat", "munmap", EINVAL);
	judge_refusals(g, lab_add_check(lab, 1, _("bad usage: exit 2, a usage line on stderr")),
		       &bad_usage);

	struct cat_run *all[] = { &s.dflt, &s.ro, &s.random[0], &s.random[1], &s.random[2],
				  &s.one_page, &s.one_last, &s.pagesize, &s.few, &s.past, &s.empty,
				  &s.zero, &s.at_end, &s.beyond, &s.nomap, &s.noopen,
				  &s.noclose, &s.nomunmap };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		drop(all[i]);
}

const struct lab lab_pitfalls = {
	.id = LAB05,
	.programs = (const char *const[]){ "mmap_cat", NULL },
	.grade = grade,
};
