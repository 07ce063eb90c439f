/*
 * checks.c: judgments of a run from its audit log (see checks.h).
 */
#define _GNU_SOURCE
#include "audit/checks.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "lang/lang.h"
#include "run/sys.h"

/* Fails c with what the log shows (one line) and a hint. */
static bool fail(struct check *c, struct audited_run run, const char *expected,
		 const char *seen, const char *hint)
{
	char *act = xasprintf("$ %s\n%s", run.cmdline, seen);

	check_fail(c, expected, act, "%s", hint);
	free(act);
	return false;
}

/* Fails c unless the run was audited: a start record, no forged lines that
 * would hide calls.  Every judgment here calls it first. */
static bool judge_audited(struct check *c, struct audited_run run)
{
	const struct audit_log *log = run.log;
	char seen[200];

	if (run.res->end == RUN_NOT_STARTED)
		return fail(c, run, _("an audited run"), _("not built"), _("the program was not built: see "
			    "the compiler's messages at the top of this lab"));
	if (log->n == 0 || audit_main_pid(log) == 0)
		return fail(c, run, _("the audit library's records of the run"), _("no audit record at all"),
			    _("the grader could not see a single call of the program: it did not load "
			    "the audit library (statically linked, or it never got to main)"));
	if (log->bad > 0 || log->cut || log->full) {
		snprintf(seen, sizeof(seen), _("%zu lines of the log are not records%s"), log->bad,
			 log->cut || log->full ? _(", and it is cut short") : "");
		return fail(c, run, _("a clean audit log"), seen, _("the program wrote into the grader's "
			    "audit log (a descriptor near 1000) or made too many calls: what it did "
			    "cannot be checked"));
	}
	return true;
}

/* Record i of the log, when it is pid's (0: anybody's) call of that kind. */
static const struct audit_rec *rec(const struct audit_log *log, size_t i, int pid,
				   enum audit_call call)
{
	const struct audit_rec *r = &log->rec[i];

	return (pid == 0 || r->pid == pid) && (call == AUDIT_ANY || r->call == call) ? r : NULL;
}

/* pid's successful mmap calls, with their index i in the log. */
#define EACH_MMAP(log, pid, i, m)                       \
	for (size_t i = 0; i < (log)->n; i++)           \
		if (((m) = rec((log), i, (pid), AUDIT_MMAP)) && (m)->ret != -1)

/* Fails c unless the main process made a mapping at all: a check of how it
 * unmaps or closes is no credit to a program that maps nothing. */
static bool judge_mapped(struct check *c, struct audited_run run)
{
	const struct audit_log *log = run.log;
	int pid = audit_main_pid(log);
	const struct audit_rec *m;

	if (!judge_audited(c, run))
		return false;
	EACH_MMAP(log, pid, i, m)
		return true;
	return fail(c, run, _("a mapping made by mmap"), _("no successful mmap"), _("the program never "
		    "made a mapping: finish the TODOs, or see the checks above"));
}

bool judge_unmapped_exactly(struct check *c, struct audited_run run)
{
	if (!judge_mapped(c, run))
		return false;
	const struct audit_log *log = run.log;
	int pid = audit_main_pid(log);
	const struct audit_rec *m, *u;
	char seen[300];

	/* Every munmap must name a mapping exactly, and only once. */
	for (size_t i = 0; i < log->n; i++) {
		if ((u = rec(log, i, pid, AUDIT_MUNMAP)) == NULL)
			continue;
		uint64_t addr = (uint64_t)u->arg[AUDIT_MUNMAP_ADDR];
		long len = (long)u->arg[AUDIT_MUNMAP_LENGTH];
		const struct audit_rec *match = NULL;
		size_t made = 0;
		EACH_MMAP(log, pid, j, m)
			if (j < i && (uint64_t)m->ret == addr)
				match = m, made = j;
		if (match == NULL) {
			snprintf(seen, sizeof(seen), _("munmap(%#lx, %ld), an address mmap did not return"),
				 (unsigned long)addr, len);
			return fail(c, run, _("munmap(the address mmap returned, its length)"), seen,
				    _("munmap must get the very address mmap returned -- if the pointer "
				    "was moved (p++), unmap a saved copy of the original (pitfall 5)"));
		}
		long want = (long)match->arg[AUDIT_MMAP_LENGTH];
		if (len != want) {
			snprintf(seen, sizeof(seen), _("munmap(%#lx, %ld) of a mapping made %ld bytes long"),
				 (unsigned long)addr, len, want);
			return fail(c, run, _("munmap with the length given to mmap"), seen,
				    _("give munmap the same length as mmap: the document's munmap(mem, 4) "
				    "on a 20-byte mapping only works because the kernel rounds both up "
				    "to a page (pitfall 5)"));
		}
		/* An earlier munmap of the same mapping makes this one the second. */
		for (size_t j = made + 1; j < i; j++) {
			const struct audit_rec *before = rec(log, j, pid, AUDIT_MUNMAP);
			if (before != NULL && (uint64_t)before->arg[AUDIT_MUNMAP_ADDR] == addr) {
				snprintf(seen, sizeof(seen), _("munmap(%#lx, %ld) twice"),
					 (unsigned long)addr, len);
				return fail(c, run, _("one munmap per mapping"), seen, _("the mapping was "
					    "unmapped twice: the second munmap could remove a mapping "
					    "made since"));
			}
		}
	}
	/* And every mapping must have its munmap. */
	EACH_MMAP(log, pid, i, m) {
		bool gone = false;
		for (size_t j = i + 1; j < log->n && !gone; j++)
			gone = (u = rec(log, j, pid, AUDIT_MUNMAP)) != NULL &&
			       (uint64_t)u->arg[AUDIT_MUNMAP_ADDR] == (uint64_t)m->ret;
		if (!gone) {
			snprintf(seen, sizeof(seen), _("the %ld-byte mapping at %#lx was never unmapped"),
				 (long)m->arg[AUDIT_MMAP_LENGTH], (unsigned long)m->ret);
			c->missing_call = xstrdup("munmap");
			return fail(c, run, _("munmap of every mapping before the end"), seen,
				    _("unmap what you mapped, with the address and length of the mmap, "
				    "and check munmap's result as the document's examples do"));
		}
	}
	check_pass(c);
	return true;
}

bool judge_closed_after_mmap(struct check *c, struct audited_run run)
{
	if (!judge_mapped(c, run))
		return false;
	const struct audit_log *log = run.log;
	int pid = audit_main_pid(log);
	const struct audit_rec *m, *r;
	char seen[300];

	EACH_MMAP(log, pid, i, m) {
		long fd = (long)m->arg[AUDIT_MMAP_FD];
		if (fd < 0 || (m->arg[AUDIT_MMAP_FLAGS] & MAP_ANONYMOUS))
			continue;
		bool closed = false, forked_first = false;
		for (size_t j = i + 1; j < log->n && !closed; j++) {
			if ((r = rec(log, j, pid, AUDIT_ANY)) == NULL)
				continue;
			if (r->call == AUDIT_CLOSE && r->arg[AUDIT_CLOSE_FD] == fd && r->err == 0)
				closed = true;
			else if (r->call == AUDIT_FORK && r->ret > 0)
				forked_first = true;
		}
		if (!closed) {
			snprintf(seen, sizeof(seen), _("descriptor %ld, mapped by mmap, never closed"), fd);
			c->missing_call = xstrdup("close");
			return fail(c, run, _("close(fd) right after mmap"), seen, _("close the descriptor as "
				    "soon as the mapping is made: the mapping keeps the file open by "
				    "itself (pitfall 3)"));
		}
		if (forked_first) {
			snprintf(seen, sizeof(seen), _("descriptor %ld closed only after fork"), fd);
			return fail(c, run, _("close(fd) right after mmap, before fork"), seen,
				    _("close the descriptor right after mmap: closed after fork, the child "
				    "inherits an open descriptor it never uses (pitfall 3)"));
		}
	}
	check_pass(c);
	return true;
}

static const char *kind_name(enum map_kind kind)
{
	return kind == MAP_KIND_ANONYMOUS ? "MAP_ANONYMOUS (fd -1)" :
	       kind == MAP_KIND_DEV_ZERO ? "/dev/zero" : _("a regular file");
}

bool judge_mapping(struct check *c, struct audited_run run, enum map_kind kind,
		   enum map_sharing sharing, int prot)
{
	if (!judge_audited(c, run))
		return false;
	const struct audit_log *log = run.log;
	int pid = audit_main_pid(log);
	const struct audit_rec *m;
	char want[200], seen[400];
	int n = 0;

	snprintf(want, sizeof(want), _("mmap of %s%s%s, %s"), kind_name(kind),
		 sharing == MAP_MUST_SHARE ? ", MAP_SHARED" : sharing == MAP_MUST_BE_PRIVATE
		 ? ", MAP_PRIVATE" : "", "",
		 prot == (PROT_READ | PROT_WRITE) ? "PROT_READ|PROT_WRITE" :
		 prot == PROT_WRITE ? _("PROT_WRITE (PROT_READ too, or not)") : "PROT_READ");
	EACH_MMAP(log, pid, i, m) {
		long flags = (long)m->arg[AUDIT_MMAP_FLAGS], fd = (long)m->arg[AUDIT_MMAP_FD];
		bool anon = (flags & MAP_ANONYMOUS) != 0;
		bool zero = m->path != NULL && strcmp(m->path, "/dev/zero") == 0;
		bool file = !anon && S_ISREG((mode_t)m->arg[AUDIT_MMAP_FMODE]);
		bool is_shared = (flags & MAP_TYPE) == MAP_SHARED || (flags & MAP_TYPE) == MAP_SHARED_VALIDATE;
		n++;
		snprintf(seen, sizeof(seen), _("mmap(NULL, %ld, %s%s%s, %s%s, %ld, %ld)%s%s"),
			 (long)m->arg[AUDIT_MMAP_LENGTH],
			 m->arg[AUDIT_MMAP_PROT] & PROT_READ ? "PROT_READ" : "",
			 (m->arg[AUDIT_MMAP_PROT] & (PROT_READ | PROT_WRITE)) == (PROT_READ | PROT_WRITE) ? "|" : "",
			 m->arg[AUDIT_MMAP_PROT] & PROT_WRITE ? "PROT_WRITE" : "",
			 is_shared ? "MAP_SHARED" : "MAP_PRIVATE", anon ? "|MAP_ANONYMOUS" : "", fd,
			 (long)m->arg[AUDIT_MMAP_OFFSET], m->path ? " of " : "", m->path ? m->path : "");
		if (sharing == MAP_MUST_SHARE && !is_shared)
			return fail(c, run, want, seen, kind == MAP_KIND_FILE
				    ? _("MAP_PRIVATE keeps what this process writes in a copy of its "
					"own: it never reaches the file, nor any other process (use "
					"MAP_SHARED)")
				    : _("MAP_PRIVATE gives each process its own copy on write: the "
					"child's write never reaches the parent (use MAP_SHARED)"));
		if (sharing == MAP_MUST_BE_PRIVATE && is_shared)
			return fail(c, run, want, seen, _("with -p the mapping must be MAP_PRIVATE: each "
							  "process then writes to a copy of its own"));
		if ((kind == MAP_KIND_ANONYMOUS && !(anon && fd == -1)) ||
		    (kind == MAP_KIND_DEV_ZERO && !zero) || (kind == MAP_KIND_FILE && !file))
			return fail(c, run, want, seen, kind == MAP_KIND_ANONYMOUS
				    ? _("an anonymous mapping: flags MAP_SHARED|MAP_ANONYMOUS and fd -1, no file")
				    : kind == MAP_KIND_DEV_ZERO ? _("this program shows the other way: open "
				      "/dev/zero and map it MAP_SHARED")
				    : _("map the regular file the lab is about"));
		if ((m->arg[AUDIT_MMAP_PROT] & prot) != prot)
			return fail(c, run, want, seen, prot == (PROT_READ | PROT_WRITE)
				    ? _("the mapping is written and read: it needs PROT_READ|PROT_WRITE "
					"(the document's PROT_WRITE alone is readable only by accident "
					"of x86)")
				    : prot == PROT_WRITE ? _("the mapping is written to: it needs "
							     "PROT_WRITE")
				    : _("the mapping is read: it needs PROT_READ"));
	}
	if (n == 0)
		return fail(c, run, want, _("no successful mmap"), _("the program never made a mapping: "
			    "whatever it printed, it did not come through shared memory"));
	check_pass(c);
	return true;
}

bool judge_reaps_children(struct check *c, struct audited_run run)
{
	if (!judge_audited(c, run))
		return false;
	const struct audit_log *log = run.log;
	struct audit_child kids[16];
	size_t n = audit_children(log, audit_main_pid(log), kids, 16);
	char seen[300];

	if (n == 0)
		return fail(c, run, _("a fork and a wait for the child"), _("no fork"),
			    _("the program never forked: parent and child are the lab's point"));
	for (size_t i = 0; i < n && i < 16; i++) {
		if (strcmp(kids[i].fork->fn, "vfork") == 0)
			return fail(c, run, "fork", "vfork", _("vfork lends the parent's memory to the "
							       "child until it calls exec or _exit: the "
							       "child may not write or return; use fork"));
		if (kids[i].wait == NULL) {
			snprintf(seen, sizeof(seen), _("child %d was never waited for"), kids[i].pid);
			c->missing_call = xstrdup("wait");
			return fail(c, run, _("a wait or waitpid that returns every child"), seen,
				    _("the parent must wait for the child (wait or waitpid) before "
				      "reading what it wrote: without it the order is luck, and the "
				      "child stays a zombie"));
		}
	}
	check_pass(c);
	return true;
}

bool judge_stdout_flushed(struct check *c, struct audited_run run)
{
	if (!judge_audited(c, run))
		return false;
	const struct audit_log *log = run.log;
	struct audit_child kids[16];
	size_t n = audit_children(log, audit_main_pid(log), kids, 16);
	const struct audit_rec *r;
	char seen[300];

	for (size_t i = 0; i < n && i < 16; i++)
		if (kids[i].fork->arg[AUDIT_FORK_PENDING] > 0) {
			snprintf(seen, sizeof(seen), _("%lld bytes still in the stdout buffer at fork"),
				 (long long)kids[i].fork->arg[AUDIT_FORK_PENDING]);
			return fail(c, run, _("an empty stdout buffer at fork"), seen,
				    _("both processes inherit the buffer and both print it (twice on "
				      "a pipe): fflush(stdout) before fork()"));
		}
	for (size_t pos = 0; (r = audit_next(log, &pos, 0, AUDIT_EXIT)) != NULL;)
		if (strcmp(r->fn, "_exit") == 0 && r->arg[AUDIT_EXIT_PENDING] > 0) {
			snprintf(seen, sizeof(seen), _("%lld bytes of stdout lost at _exit in process %d"),
				 (long long)r->arg[AUDIT_EXIT_PENDING], r->pid);
			return fail(c, run, _("nothing left in stdout's buffer at _exit"), seen,
				    _("_exit does not flush stdio: what was printed is lost when stdout "
				      "is a pipe -- fflush(stdout) first, or call exit()"));
		}
	check_pass(c);
	return true;
}

const char *audit_crash_line(const struct audit_log *log, char *buf, size_t size)
{
	const struct audit_rec *r, *last = NULL;

	for (size_t pos = 0; (r = audit_next(log, &pos, 0, AUDIT_CRASH)) != NULL;)
		last = r;
	if (last == NULL)
		return NULL;
	struct audit_fault_info info;
	audit_fault_explain(log, last, &info);
	return audit_fault_describe(&info, buf, size);
}
