/*
 * memory.c: the memory picture of a run (memory.h): its memory records
 * checked against the rest of the log, the pair drawn (the child at its
 * exit, its parent after the wait that reaped it), what they say happened
 * to the child's store, and the judgments that cite it.
 */
#define _GNU_SOURCE
#include "audit/memory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "audit/frames_proto.h"
#include "lang/lang.h"
#include "run/sys.h"

bool grading_memory = true;
const char *const memory_env[] = { "MMAPAUDIT_MEMORY=on", NULL };

bool memory_asked(const char *const *env)
{
	for (; env != NULL && *env != NULL; env++)
		if (strcmp(*env, memory_env[0]) == 0)
			return true;
	return false;
}

static uint64_t pm_at(const struct audit_rec *r, int k)
{
	return (uint64_t)r->arg[AUDIT_MEMORY_PAGEMAP + k];
}

static bool is_moment(const struct audit_rec *r, const char *moment)
{
	return r->call == AUDIT_MEMORY && r->path != NULL && strcmp(r->path, moment) == 0;
}

static int64_t pages_of(int64_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	int64_t n = len / page + (len % page != 0);

	return n < MEMORY_PAGES ? n : MEMORY_PAGES;
}

/* The record of pid next to log->rec[i] (step 1 forward, -1 back) that is
 * not a memory record, if the records between are numbered without a gap. */
static const struct audit_rec *neighbour(const struct audit_log *log, size_t i, int step)
{
	const struct audit_rec *r = &log->rec[i];
	long seq = r->seq;

	for (size_t j = i + (size_t)step; j < log->n; j += (size_t)step) {
		const struct audit_rec *o = &log->rec[j];
		if (o->pid != r->pid)
			continue;
		if (o->seq != seq + step)
			return NULL;
		if (o->call != AUDIT_MEMORY)
			return o;
		seq = o->seq;
	}
	return NULL;
}

static bool is_forked_child(const struct audit_log *log, int pid)
{
	size_t pos = 0;
	const struct audit_rec *r;

	while ((r = audit_next(log, &pos, pid, AUDIT_FORK)) != NULL)
		if (r->ret == 0)
			return true;
	return false;
}

/* Why log->rec[i], a memory record, cannot be what the library wrote; NULL
 * when it holds together with the log. */
static const char *record_fault(const struct audit_log *log, size_t i, struct audit_maps *maps)
{
	const struct audit_rec *r = &log->rec[i];
	const int64_t *a = r->arg;
	bool child = is_moment(r, "child-exit");

	if (!child && !is_moment(r, "parent-wait"))
		return N_("a memory record of no known moment");
	if (a[AUDIT_MEMORY_LENGTH] <= 0 || a[AUDIT_MEMORY_NPAGES] != pages_of(a[AUDIT_MEMORY_LENGTH]))
		return N_("a memory record whose page count does not match its length");
	for (int k = (int)a[AUDIT_MEMORY_NPAGES]; k < MEMORY_PAGES; k++)
		if (pm_at(r, k) != 0)
			return N_("a memory record with pages past its mapping's end");
	if ((a[AUDIT_MEMORY_KFLAGS] != MAP_SHARED && a[AUDIT_MEMORY_KFLAGS] != MAP_PRIVATE) ||
	    a[AUDIT_MEMORY_RSS] < 0 || a[AUDIT_MEMORY_PRIVATE_DIRTY] < 0 ||
	    a[AUDIT_MEMORY_SHARED_DIRTY] < 0 ||
	    a[AUDIT_MEMORY_PRIVATE_DIRTY] + a[AUDIT_MEMORY_SHARED_DIRTY] > a[AUDIT_MEMORY_RSS])
		return N_("a memory record with figures the kernel cannot give");
	const struct audit_rec *next = neighbour(log, i, child ? 1 : -1);
	if (child ? next == NULL || next->call != AUDIT_EXIT || !is_forked_child(log, r->pid)
		  : next == NULL || next->call != AUDIT_WAIT || next->arg[AUDIT_WAIT_REAPED] <= 0)
		return N_("a memory record out of its place (not at a child's exit, nor after a wait)");
	audit_maps_at(log, r->pid, i, maps);
	const struct audit_map *m = audit_maps_find(maps, (uint64_t)a[AUDIT_MEMORY_ADDR]);
	if (m == NULL || m->gone != NULL || m->mmap->ret != a[AUDIT_MEMORY_ADDR] ||
	    m->mmap->arg[AUDIT_MMAP_LENGTH] != a[AUDIT_MEMORY_LENGTH])
		return N_("a memory record of a mapping the process did not have");
	bool shared = (m->mmap->arg[AUDIT_MMAP_FLAGS] & MAP_TYPE) != MAP_PRIVATE;
	if (shared != (a[AUDIT_MEMORY_KFLAGS] == MAP_SHARED))
		return N_("a memory record whose sharing is not the mmap call's");
	/* The rest of its process's run of memory records, whatever other
	 * processes wrote between. */
	for (size_t j = i + 1; j < log->n; j++) {
		const struct audit_rec *o = &log->rec[j];
		if (o->pid != r->pid)
			continue;
		if (o->call != AUDIT_MEMORY)
			break;
		if (o->arg[AUDIT_MEMORY_ADDR] == a[AUDIT_MEMORY_ADDR])
			return N_("two memory records of one mapping at one moment");
	}
	return NULL;
}

/* The view of r's page k, as the report shows it. */
static void view_of(const struct audit_rec *r, int k, struct memory_view *v)
{
	uint64_t pm = pm_at(r, k);

	memset(v, 0, sizeof *v);
	v->address = (unsigned long long)r->arg[AUDIT_MEMORY_ADDR];
	v->length = (unsigned long long)r->arg[AUDIT_MEMORY_LENGTH];
	/* A frame is believed only from the reader: a program's own record can
	 * say anything. */
	v->has_frame = r->root_read && (pm & PM_PRESENT) && (pm & PM_PFN) != 0;
	v->frame = v->has_frame ? pm & PM_PFN : 0;
	v->pagemap = pm & ~PM_PFN;
	v->shared = r->arg[AUDIT_MEMORY_KFLAGS] == MAP_SHARED;
	v->private_dirty_kb = (long)r->arg[AUDIT_MEMORY_PRIVATE_DIRTY];
	v->shared_dirty_kb = (long)r->arg[AUDIT_MEMORY_SHARED_DIRTY];
}

/* The kernel's own word first: a store through a MAP_SHARED area is in the
 * shared page, a dirty page of a MAP_PRIVATE area is the child's copy.  The
 * frames, when known, are compared for a page that was stored into (in a
 * private area, the child's anonymous page), never for one only read. */

/* The page the child stored into: in a private mapping its first page of
 * its own (anonymous); else the first. */
static int stored_page(const struct audit_rec *c)
{
	for (int k = 0; k < c->arg[AUDIT_MEMORY_NPAGES]; k++)
		if ((pm_at(c, k) & PM_PRESENT) && !(pm_at(c, k) & PM_FILE))
			return k;
	return 0;
}

/* The parent's record, after the wait that reaped c's process, of c's mapping. */
static const struct audit_rec *parent_of(const struct audit_log *log, const struct audit_rec *c)
{
	for (size_t i = 0; i < log->n; i++) {
		const struct audit_rec *r = &log->rec[i];
		const struct audit_rec *w = is_moment(r, "parent-wait") ? neighbour(log, i, -1) : NULL;
		if (w != NULL && r->pid == c->ppid && w->arg[AUDIT_WAIT_REAPED] == c->pid &&
		    r->arg[AUDIT_MEMORY_ADDR] == c->arg[AUDIT_MEMORY_ADDR])
			return r;
	}
	return NULL;
}

void memory_read(const struct audit_log *log, struct memory_picture *pic)
{
	struct audit_maps *maps = xmalloc(sizeof *maps);
	bool any = false;

	memset(pic, 0, sizeof *pic);
	for (size_t i = 0; i < log->n && pic->verdict != MEMORY_CORRUPT; i++) {
		if (log->rec[i].call != AUDIT_MEMORY)
			continue;
		any = true;
		const char *why = record_fault(log, i, maps);
		if (why != NULL) {
			pic->verdict = MEMORY_CORRUPT;
			snprintf(pic->why, sizeof pic->why, "%s", _(why));
		}
	}
	free(maps);
	if (pic->verdict == MEMORY_CORRUPT || !any)
		return;
	if (log->bad > 0) {
		pic->verdict = MEMORY_CORRUPT;
		snprintf(pic->why, sizeof pic->why, _("%zu lines of the audit log are not records: "
						      "something wrote into it"), log->bad);
		return;
	}
	/* The first child with a parent's record to set beside its own: a
	 * child of the program itself before a grandchild. */
	int main_pid = audit_main_pid(log);
	for (int pass = 0; pass < 2 && pic->parent == NULL; pass++)
		for (size_t i = 0; i < log->n && pic->parent == NULL; i++) {
			const struct audit_rec *c = &log->rec[i];
			if (is_moment(c, "child-exit") && (pass == 1 || c->ppid == main_pid) &&
			    (pic->parent = parent_of(log, c)) != NULL)
				pic->child = c;
		}
	if (pic->parent == NULL)
		return;
	struct memory_view c, p;
	pic->page = stored_page(pic->child);
	view_of(pic->child, pic->page, &c);
	view_of(pic->parent, pic->page, &p);
	pic->child_pm = pm_at(pic->child, pic->page);
	pic->parent_pm = pm_at(pic->parent, pic->page);
	pic->frames = c.has_frame && p.has_frame;
	pic->verdict = memory_verdict_of(&c, &p);
}

void memory_collect(struct lab_result *lab, const char *run, struct audited_run r)
{
	struct memory_picture pic;

	memory_read(r.log, &pic);
	if (pic.verdict == MEMORY_UNSEEN || pic.verdict == MEMORY_CORRUPT)
		return;
	lab->memory = xrealloc(lab->memory, (lab->nmemory + 2) * sizeof *lab->memory);
	for (int i = 0; i < 2; i++) {
		struct memory_view *v = &lab->memory[lab->nmemory++];
		view_of(i == 0 ? pic.child : pic.parent, pic.page, v);
		v->run = xstrdup(run);
		/* JSON values, the same in every language (SPEC §2). */
		v->process = xstrdup(i == 0 ? "child" : "parent");
		v->moment = xstrdup(i == 0 ? "after the child's store" : "after wait");
	}
}


/* The evidence in words: frames when known, else the kernel's figures. */
static char *evidence(const struct memory_picture *pic)
{
	struct memory_view c, p;

	view_of(pic->child, pic->page, &c);
	view_of(pic->parent, pic->page, &p);
	if (pic->frames)
		return xasprintf(_("%s (page %d of the mapping: frame %#llx in the child, %#llx in "
				   "the parent)"), memory_sentence(pic->verdict), pic->page,
				 c.frame, p.frame);
	return xasprintf(_("%s (the child's page: %s; in the child Private_Dirty %ld kB, "
			   "Shared_Dirty %ld kB)"), memory_sentence(pic->verdict),
			 c.pagemap & PM_FILE ? _("the mapping's shared page") :
			 _("an anonymous page of its own"), c.private_dirty_kb, c.shared_dirty_kb);
}

static bool judge_memory(struct check *c, const struct audit_log *log, bool shared)
{
	struct memory_picture pic;

	memory_read(log, &pic);
	if (pic.verdict == MEMORY_UNSEEN || pic.verdict == MEMORY_UNCLEAR)
		return true;
	if (pic.verdict == MEMORY_CORRUPT) {
		check_fail(c, _("the audit library's records, as it wrote them"), pic.why, "%s",
			   _("the program wrote into the grader's audit log: a picture that "
			     "cannot be believed is no evidence, and costs the check"));
		return false;
	}
	char *seen = evidence(&pic);
	bool agrees = pic.verdict == (shared ? MEMORY_SHARED : MEMORY_COPIED);
	if (agrees) {
		free(c->actual);
		c->actual = seen;
		return true;
	}
	if (shared)
		check_fail(c, _("the child's store in the page the parent reads (one frame)"), seen,
			   "%s", _("the memory picture shows the child writing to a copy: the mapping "
				   "the child wrote through is not MAP_SHARED, whatever mmap was "
				   "first called with"));
	else
		check_fail(c, _("the child's store in a page of its own (copy-on-write)"), seen,
			   "%s", _("with -p the mapping must be MAP_PRIVATE: the child's store must "
				   "not reach the parent's page"));
	free(seen);
	return false;
}

bool judge_memory_shared(struct check *c, struct audited_run r)
{
	return judge_memory(c, r.log, true);
}

bool judge_memory_private(struct check *c, struct audited_run r)
{
	return judge_memory(c, r.log, false);
}
