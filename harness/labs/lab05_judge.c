/*
 * lab05_judge.c: judgments of lab 05's runs (lab05_judge.h), from the bytes
 * printed and the calls the audit library saw.
 */
#define _GNU_SOURCE
#include "labs/lab05_judge.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "audit/checks.h"
#include "labs/judge.h"
#include "lang/lang.h"
#include "run/sys.h"

/* The document's list (总结:使用mmap时务必注意以下事项), line by line. */
static const char *const quotes[8] = {
	NULL,
	N_("pitfall 1: 「创建映射区的过程中,隐含着一次对映射文件的读操作。」 (\"creating a "
	   "mapping implies a read of the mapped file\")"),
	N_("pitfall 2: 「当MAP_SHARED时,要求:映射区的权限应 <=文件打开的权限(出于对映射区的保护)。」 "
	   "(\"with MAP_SHARED, the mapping's permissions must be <= the permissions the file was "
	   "opened with\")"),
	N_("pitfall 3: 「映射区的释放与文件关闭无关。只要映射建立成功,文件可以立即关闭。」 (\"releasing "
	   "the mapping has nothing to do with closing the file: once the mapping is made, the "
	   "file can be closed at once\")"),
	N_("pitfall 4: 「当映射文件大小为0时,不能创建映射区。……mmap使用时常常会出现总线错误,通常是由于共享"
	   "文件存储空间大小引起的。」 (\"a file of size 0 cannot be mapped ... bus errors are common "
	   "with mmap, usually caused by the size of the shared file\")"),
	N_("pitfall 5: 「munmap传入的地址一定是mmap的返回地址。坚决杜绝指针++操作。」 (\"the address "
	   "given to munmap must be the one mmap returned: never do pointer++ on it\")"),
	N_("pitfall 6: 「文件偏移量必须为4K的整数倍。」 (\"the file offset must be a whole multiple of "
	   "4K\" -- of the page size, which is 4K on x86)"),
	N_("pitfall 7: 「mmap创建映射区出错概率非常高,一定要检查返回值。」 (\"mmap fails very often: "
	   "always check its return value\")"),
};

const char *pitfall_quote(int n)
{
	return _(quotes[n]);
}

bool with_quote(struct check *c, int n)
{
	if (c->passed)
		return true;
	char *hint = xstrdup(c->hint ? c->hint : "");	/* check_fail frees c's own */
	check_fail(c, c->expected, c->actual, "%s%s%s", hint, *hint ? " -- " : "",
		   pitfall_quote(n));
	free(hint);
	return false;
}

/* The bytes the range holds: offset .. offset+length-1, cut at the end. */
static size_t range_len(const struct cat_run *r)
{
	if (r->offset >= r->size)
		return 0;
	return r->length < r->size - r->offset ? r->length : r->size - r->offset;
}

static uint64_t round_down(uint64_t v, long page)
{
	return v - v % (uint64_t)page;
}

static uint64_t round_up(uint64_t v, long page)
{
	return round_down(v + (uint64_t)page - 1, page);
}

/* "$ cmd", how it ended, what it printed: the seen of a failed check. */
static char *seen(const struct cat_run *r)
{
	char how[300];
	const struct run_result *res = &r->t.res;
	char *out = show_bytes(res->out.data, res->out.len, 48);
	char *err = show_output(&res->err);
	char *s = xasprintf(_("$ %s\n%s; stdout: %zu bytes%s%s%s%s"), r->t.cmdline,
			    run_describe(res, how, sizeof(how)), res->out.total,
			    *out ? ": " : "", out, *err ? _("\nstderr:\n") : "", err);
	free(out);
	free(err);
	return s;
}

static bool fail(struct check *c, const struct cat_run *r, const char *expected,
		 const char *hint, int pitfall)
{
	char *s = seen(r);

	if (pitfall > 0)
		check_fail(c, expected, s, "%s -- %s", hint, pitfall_quote(pitfall));
	else
		check_fail(c, expected, s, "%s", hint);
	free(s);
	return false;
}

/* The main process's records of one call, in order. */
#define EACH(t, call, rec)                                                              \
	for (size_t pos_ = 0, pid_ = (size_t)audit_main_pid(&(t)->audit);             \
	     pid_ != 0 && ((rec) = audit_next(&(t)->audit, &pos_, (int)pid_, (call))) != NULL;)

/* The pitfall a run's failed calls or crash show, in *n, with a hint in buf;
 * NULL when they show none. */
static const char *diagnose(const struct cat_run *r, long page, char *buf, size_t size, int *n)
{
	const struct audit_rec *a;

	EACH(&r->t, AUDIT_OPEN, a)
		if (a->err == EACCES && (a->arg[AUDIT_OPEN_FLAGS] & O_ACCMODE) != O_RDONLY) {
			*n = 1;
			return _("open failed with EACCES: FILE was opened for writing and the "
				 "grader's file is read-only -- open it O_RDONLY: mapping it only "
				 "reads it");
		}
	EACH(&r->t, AUDIT_MMAP, a) {
		if (a->ret != -1 || a->injected)
			continue;
		long long off = a->arg[AUDIT_MMAP_OFFSET], len = a->arg[AUDIT_MMAP_LENGTH];
		if (a->err == EACCES && (a->arg[AUDIT_MMAP_PROT] & PROT_WRITE)) {
			*n = 2;
			return _("mmap failed with EACCES: PROT_WRITE asked of a MAP_SHARED mapping "
				 "of a file opened read-only -- map it PROT_READ");
		}
		if (a->err == EINVAL && len == 0) {
			*n = 4;
			return _("mmap of 0 bytes failed with EINVAL: with nothing to print, print "
				 "nothing and exit 0 without calling mmap");
		}
		if (a->err == EINVAL && off % page != 0) {
			*n = 6;
			snprintf(buf, size, _("mmap failed with EINVAL: its offset %lld is not a "
					      "multiple of the page size (%ld) -- map from OFFSET "
					      "rounded down to a page and print from OFFSET minus that "
					      "into the mapping"), off, page);
			return buf;
		}
	}
	EACH(&r->t, AUDIT_MUNMAP, a)
		if (a->ret == -1 && a->err == EINVAL && !a->injected) {
			*n = 5;
			snprintf(buf, size, _("munmap(%#llx, ...) failed with EINVAL: that is not the "
					      "address mmap returned -- keep mmap's result and munmap "
					      "it, printing from a copy moved to OFFSET"),
				 (unsigned long long)a->arg[AUDIT_MUNMAP_ADDR]);
			return buf;
		}
	if (r->t.res.end == RUN_SIGNALED && r->t.res.sig == SIGBUS) {
		char line[600];
		*n = 4;
		snprintf(buf, size, _("%s: a byte past the end of the file was touched -- cut "
				      "LENGTH to what the file holds"),
			 audit_crash_line(&r->t.audit, line, sizeof(line)) ?: _("killed by SIGBUS"));
		return buf;
	}
	return NULL;
}

/* A 0-length mmap the program made (and perhaps ignored the failure of). */
static bool zero_mmap(const struct cat_run *r)
{
	const struct audit_rec *a;

	EACH(&r->t, AUDIT_MMAP, a)
		if (a->arg[AUDIT_MMAP_LENGTH] == 0)
			return true;
	return false;
}

static bool all_nul(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != '\0')
			return false;
	return true;
}

/* What the bytes printed show when they are wrong. */
static const char *bytes_hint(const struct cat_run *r, long page, char *buf, size_t size,
			      int *n)
{
	const struct run_stream *out = &r->t.res.out;
	const char *want = r->data + r->offset;
	size_t len = range_len(r), same = 0, start = round_down(r->offset, page);

	while (same < len && same < out->len && out->data[same] == want[same])
		same++;
	*n = 0;
	if (same == out->len && same < len && want[same] == '\0')
		return _("the output stops at the first NUL byte of the range: printf(\"%s\") and "
			 "fputs stop there -- write() the bytes, all of them");
	if (same == len && out->len > len && all_nul(out->data + len, out->len - len)) {
		*n = 4;
		snprintf(buf, size, _("%zu NUL bytes after the range's end: the rest of the file's "
				      "last page reads as zeros -- cut LENGTH to what the file holds"),
			 out->len - len);
		return buf;
	}
	if (r->offset != start && out->len >= len && len > 0 &&
	    memcmp(out->data, r->data + start, out->len < r->size - start ? out->len
			: r->size - start) == 0) {
		*n = 6;
		return _("the output starts at the page OFFSET lies in, not at OFFSET: the mapping "
			 "starts at OFFSET rounded down, so OFFSET is OFFSET - start bytes into it");
	}
	snprintf(buf, size, _("%zu bytes printed, %zu expected; they differ from byte %zu of the "
			      "range (byte %zu of FILE) on"), out->total, len, same, r->offset + same);
	return buf;
}

bool judge_cat_output(struct check *c, const struct cat_run *r, long page)
{
	size_t len = range_len(r);
	char *expected = len == 0 ? xstrdup(_("exit 0, nothing on stdout, no mmap"))
		: xasprintf(_("exit 0, stdout: the %zu bytes of %s from byte %zu"), len, r->file,
			    r->offset);
	const struct run_result *res = &r->t.res;
	char buf[1200];
	int n = 0;
	const char *hint = diagnose(r, page, buf, sizeof(buf), &n);
	bool ok = false;

	if (res->end != RUN_EXITED || res->code != 0) {
		if (hint != NULL)
			fail(c, r, expected, hint, n);
		else
			judge_clean_exit(c, &r->t);
	} else if (len == 0 && zero_mmap(r)) {
		fail(c, r, expected, _("a 0-length mmap was made (EINVAL): with nothing to "
				       "print, print nothing and call no mmap"), 4);
	} else if (res->out.total == len && res->out.len == len &&
		   memcmp(res->out.data, r->data + r->offset, len) == 0) {
		check_pass(c);
		ok = true;
	} else {
		hint = bytes_hint(r, page, buf, sizeof(buf), &n);
		fail(c, r, expected, hint, n);
	}
	free(expected);
	return ok;
}

/* The main process's last successful mmap of a regular file, or NULL (and
 * c failed). */
static const struct audit_rec *file_mapping(struct check *c, const struct cat_run *r)
{
	const struct audit_rec *a, *found = NULL;

	EACH(&r->t, AUDIT_MMAP, a)
		if (a->ret != -1 && S_ISREG((mode_t)a->arg[AUDIT_MMAP_FMODE]))
			found = a;
	if (found == NULL)
		fail(c, r, _("an mmap of FILE"), audit_main_pid(&r->t.audit) == 0
		     ? _("no audit record at all: the program did not load the audit library "
			 "(statically linked?), so its calls cannot be checked")
		     : _("no successful mmap of the file: finish the TODOs, or see the checks "
			 "above"), 0);
	return found;
}

bool judge_read_only(struct check *c, const struct cat_run *r)
{
	const struct audit_rec *a, *m = file_mapping(c, r);
	char want[200];

	if (m == NULL)
		return false;
	snprintf(want, sizeof(want), _("open(\"%s\", O_RDONLY), mmap(..., PROT_READ, ...)"),
		 r->file);
	EACH(&r->t, AUDIT_OPEN, a)
		if (a->path != NULL && strcmp(a->path, r->file) == 0 &&
		    (a->arg[AUDIT_OPEN_FLAGS] & O_ACCMODE) != O_RDONLY)
			return fail(c, r, want, _("FILE was opened for writing: the program only "
						  "reads it, and on a read-only file that open "
						  "fails -- O_RDONLY"), 1);
	EACH(&r->t, AUDIT_MMAP, a)
		if (a->ret != -1 && (a->arg[AUDIT_MMAP_PROT] & PROT_WRITE))
			return fail(c, r, want, _("the mapping asks for PROT_WRITE: a MAP_SHARED "
						  "mapping of a file opened read-only may not -- "
						  "PROT_READ"), 2);
	check_pass(c);
	return true;
}

bool judge_page_size(struct check *c, const struct cat_run *r)
{
	if (!judge_cat_output(c, r, FAKE_PAGE))
		return false;
	const struct audit_rec *a, *m = file_mapping(c, r);
	if (m == NULL)
		return false;
	long long off = m->arg[AUDIT_MMAP_OFFSET];
	bool asked = false;
	EACH(&r->t, AUDIT_PAGESIZE, a)
		asked = true;
	if (off % FAKE_PAGE == 0) {
		check_pass(c);
		return true;
	}
	char want[120], hint[600];
	snprintf(want, sizeof(want), _("mmap offset %llu (OFFSET rounded down to %d)"),
		 (unsigned long long)round_down(r->offset, FAKE_PAGE), FAKE_PAGE);
	snprintf(hint, sizeof(hint), _("mmap's offset %lld is a multiple of 4096 but not of the "
				       "%d bytes that sysconf(_SC_PAGESIZE) answers in this run%s: "
				       "the page size is written into the program instead of asked "
				       "for, and on a machine with 16 KiB pages (some ARM systems) "
				       "this mmap fails with EINVAL"), off, FAKE_PAGE,
		 asked ? "" : _(" (the program never asked: no sysconf(_SC_PAGESIZE) nor "
				"getpagesize() call)"));
	return fail(c, r, want, hint, 6);
}

bool judge_few_pages(struct check *c, const struct cat_run *r, long page)
{
	if (!judge_cat_output(c, r, page))
		return false;
	const struct audit_rec *m = file_mapping(c, r);
	if (m == NULL)
		return false;
	uint64_t from = round_down(r->offset, page), to = round_up(r->offset + range_len(r), page);
	uint64_t moff = (uint64_t)m->arg[AUDIT_MMAP_OFFSET];
	uint64_t mend = moff + (uint64_t)m->arg[AUDIT_MMAP_LENGTH];
	if (moff >= from && mend <= to) {
		check_pass(c);
		return true;
	}
	char want[160], hint[500];
	snprintf(want, sizeof(want), _("a mapping within bytes %llu .. %llu of FILE (%llu pages)"),
		 (unsigned long long)from, (unsigned long long)to,
		 (unsigned long long)((to - from) / (uint64_t)page));
	snprintf(hint, sizeof(hint), _("the mapping covers bytes %llu .. %llu of FILE, %llu pages%s, "
				       "for a range that lies in %llu: map from OFFSET rounded down "
				       "to a page, OFFSET - start + LENGTH bytes, no more"),
		 (unsigned long long)moff, (unsigned long long)mend,
		 (unsigned long long)((round_up(mend, page) - round_down(moff, page)) / (uint64_t)page),
		 moff == 0 && mend >= r->size ? _(" (the whole file)") : "",
		 (unsigned long long)((to - from) / (uint64_t)page));
	return fail(c, r, want, hint, 6);
}

bool judge_within_pages(struct check *c, const struct cat_run *r, long page)
{
	const struct audit_rec *m = file_mapping(c, r);
	if (m == NULL)
		return false;
	uint64_t end = (uint64_t)m->arg[AUDIT_MMAP_OFFSET] + (uint64_t)m->arg[AUDIT_MMAP_LENGTH];
	uint64_t last = round_up((uint64_t)m->arg[AUDIT_MMAP_FSIZE], page);
	if (end <= last) {
		check_pass(c);
		return true;
	}
	char want[120], hint[400];
	snprintf(want, sizeof(want), _("a mapping that ends by byte %llu (the file's last page)"),
		 (unsigned long long)last);
	snprintf(hint, sizeof(hint), _("the mapping reaches byte %llu of a %lld-byte file: the "
				       "pages past its last one have nothing behind them, and "
				       "touching one is SIGBUS -- cut LENGTH to what the file "
				       "holds"), (unsigned long long)end,
		 (long long)m->arg[AUDIT_MMAP_FSIZE]);
	return fail(c, r, want, hint, 4);
}

bool judge_cat_refused(struct check *c, const struct cat_run *r)
{
	if (!judge_refused(c, &r->t, false))
		return false;
	if (r->t.res.code == 1)
		return true;
	return fail(c, r, _("exit 1"), _("an OFFSET past the end is input refused, exit 1 (2 is "
					 "for bad usage)"), 0);
}

bool judge_munmap_base(struct check *c, const struct cat_run *r)
{
	const struct audit_rec *u, *m;

	EACH(&r->t, AUDIT_MUNMAP, u) {
		uint64_t addr = (uint64_t)u->arg[AUDIT_MUNMAP_ADDR];
		EACH(&r->t, AUDIT_MMAP, m) {
			uint64_t base = (uint64_t)m->ret;
			uint64_t delta = r->offset - (uint64_t)m->arg[AUDIT_MMAP_OFFSET];
			if (m->ret != -1 && addr != base && addr == base + delta) {
				char want[80];
				snprintf(want, sizeof(want), _("munmap(%#llx, ...)"),
					 (unsigned long long)base);
				return fail(c, r, want, _("munmap was given the pointer to OFFSET, "
							  "mmap's address plus OFFSET - start: give it "
							  "what mmap returned"), 5);
			}
		}
	}
	judge_unmapped_exactly(c, trial_audited(&r->t));
	return with_quote(c, 5);
}

bool map_failed_hint(struct check *c, const struct trial *t)
{
	/* Not a word of mmap's failure: it went on as if it had worked, and
	 * something else failed (a write from (void *)-1 is EFAULT). */
	if (t->res.end == RUN_NOT_STARTED || strstr(t->res.err.data, ": mmap") != NULL)
		return false;
	char *seen = show_output(&t->res.err);
	char *act = c->actual ? xstrdup(c->actual) : xasprintf("$ %s\nstderr: %s", t->cmdline, seen);
	check_fail(c, c->expected ? c->expected : _("exit 1, stderr: mmap_cat: mmap: reason"), act,
		   "%s -- %s", _("mmap failed and the program went on with (void *)-1: compare "
				 "mmap's result with MAP_FAILED, never NULL, and stop with "
				 "err(1, \"mmap\")"), pitfall_quote(7));
	free(seen);
	free(act);
	return true;
}
