/*
 * audit_checks.c: judgments of a run from its audit log (see audit_checks.h).
 */
#define _GNU_SOURCE
#include "audit/checks.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "run/sys.h"

/* Fails c with what the log shows (one line) and a hint. */
static bool fail(struct check *c, const struct trial *t, const char *expected,
		 const char *seen, const char *hint)
{
	char *act = xasprintf("$ %s\n%s", t->cmdline, seen);

	check_fail(c, expected, act, "%s", hint);
	free(act);
	return false;
}

/* Fails c unless the run was audited: a start record, no forged lines that
 * would hide calls.  Every judgment here calls it first. */
static bool judge_audited(struct check *c, const struct trial *t)
{
	const struct audit_log *log = &t->audit;
	char seen[200];

	if (t->res.end == RUN_NOT_STARTED)
		return fail(c, t, "an audited run", "not built", "the program was not built: see "
			    "the compiler's messages at the top of this lab");
	if (t->res.end == RUN_SKIPPED)
		return fail(c, t, "an audited run", "not run", "not run: the program ran out of "
			    "time twice in this lab already");
	if (log->n == 0 || audit_main_pid(log) == 0)
		return fail(c, t, "the audit library's records of the run", "no audit record at all",
			    "the grader could not see a single call of the program: it did not load "
			    "the audit library (statically linked, or it never got to main)");
	if (log->bad > 0 || log->cut || log->full) {
		snprintf(seen, sizeof(seen), "%zu lines of the log are not records%s", log->bad,
			 log->cut || log->full ? ", and it is cut short" : "");
		return fail(c, t, "a clean audit log", seen, "the program wrote into the grader's "
			    "audit log (a descriptor near 1000) or made too many calls: what it did "
			    "cannot be checked");
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
static bool judge_mapped(struct check *c, const struct trial *t)
{
	const struct audit_log *log = &t->audit;
	int pid = audit_main_pid(log);
	const struct audit_rec *m;

	if (!judge_audited(c, t))
		return false;
	EACH_MMAP(log, pid, i, m)
		return true;
	return fail(c, t, "a mapping made by mmap", "no successful mmap", "the program never "
		    "made a mapping: finish the TODOs, or see the checks above");
}

const char *const delay_env[] = { "MMAPAUDIT_CHILD_DELAY_MS=" XSTR(DELAY_MS), "MMAPAUDIT_SLEEP=skip",
				  NULL };

void fault_run_start(const struct grader *g, struct fault_run *f, const char *lab,
		     const char *prog, const char *const *args, const char *call, int err)
{
	char *rule = xasprintf("MMAPAUDIT_FAIL=%s:1:%d", call, err);

	f->prog = prog;
	f->call = call;
	f->err = err;
	trial_init(g, &f->t);
	trial_start(g, &f->t, lab, prog, args, (const char *[]){ rule, NULL });
	free(rule);
}

bool judge_fault_run(const struct grader *g, struct check *c, struct fault_run *f)
{
	trial_finish(g, &f->t);
	bool caught = c != NULL && judge_injected_failure(c, &f->t, f->prog, f->call, f->err);
	trial_free(&f->t);
	return caught;
}

bool judge_unmapped_exactly(struct check *c, const struct trial *t)
{
	if (!judge_mapped(c, t))
		return false;
	const struct audit_log *log = &t->audit;
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
			snprintf(seen, sizeof(seen), "munmap(%#lx, %ld), an address mmap did not return",
				 (unsigned long)addr, len);
			return fail(c, t, "munmap(the address mmap returned, its length)", seen,
				    "munmap must get the very address mmap returned -- if the pointer "
				    "was moved (p++), unmap a saved copy of the original (pitfall 5)");
		}
		long want = (long)match->arg[AUDIT_MMAP_LENGTH];
		if (len != want) {
			snprintf(seen, sizeof(seen), "munmap(%#lx, %ld) of a mapping made %ld bytes long",
				 (unsigned long)addr, len, want);
			return fail(c, t, "munmap with the length given to mmap", seen,
				    "give munmap the same length as mmap: the document's munmap(mem, 4) "
				    "on a 20-byte mapping only works because the kernel rounds both up "
				    "to a page (pitfall 5)");
		}
		/* An earlier munmap of the same mapping makes this one the second. */
		for (size_t j = made + 1; j < i; j++) {
			const struct audit_rec *before = rec(log, j, pid, AUDIT_MUNMAP);
			if (before != NULL && (uint64_t)before->arg[AUDIT_MUNMAP_ADDR] == addr) {
				snprintf(seen, sizeof(seen), "munmap(%#lx, %ld) twice",
					 (unsigned long)addr, len);
				return fail(c, t, "one munmap per mapping", seen, "the mapping was "
					    "unmapped twice: the second munmap could remove a mapping "
					    "made since");
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
			snprintf(seen, sizeof(seen), "the %ld-byte mapping at %#lx was never unmapped",
				 (long)m->arg[AUDIT_MMAP_LENGTH], (unsigned long)m->ret);
			return fail(c, t, "munmap of every mapping before the end", seen,
				    "unmap what you mapped, with the address and length of the mmap, "
				    "and check munmap's result as the document's examples do");
		}
	}
	check_pass(c);
	return true;
}

bool judge_closed_after_mmap(struct check *c, const struct trial *t)
{
	if (!judge_mapped(c, t))
		return false;
	const struct audit_log *log = &t->audit;
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
			snprintf(seen, sizeof(seen), "descriptor %ld, mapped by mmap, never closed", fd);
			return fail(c, t, "close(fd) right after mmap", seen, "close the descriptor as "
				    "soon as the mapping is made: the mapping keeps the file open by "
				    "itself (pitfall 3)");
		}
		if (forked_first) {
			snprintf(seen, sizeof(seen), "descriptor %ld closed only after fork", fd);
			return fail(c, t, "close(fd) right after mmap, before fork", seen,
				    "close the descriptor right after mmap: closed after fork, the child "
				    "inherits an open descriptor it never uses (pitfall 3)");
		}
	}
	check_pass(c);
	return true;
}

static const char *kind_name(enum map_kind kind)
{
	return kind == MAP_KIND_ANONYMOUS ? "MAP_ANONYMOUS (fd -1)" :
	       kind == MAP_KIND_DEV_ZERO ? "/dev/zero" : "a regular file";
}

bool judge_mapping(struct check *c, const struct trial *t, enum map_kind kind, bool shared,
		   int prot)
{
	if (!judge_audited(c, t))
		return false;
	const struct audit_log *log = &t->audit;
	int pid = audit_main_pid(log);
	const struct audit_rec *m;
	char want[200], seen[400];
	int n = 0;

	snprintf(want, sizeof(want), "mmap of %s, %s, PROT_READ%s", kind_name(kind),
		 shared ? "MAP_SHARED" : "MAP_PRIVATE", prot & PROT_WRITE ? "|PROT_WRITE" : "");
	EACH_MMAP(log, pid, i, m) {
		long flags = (long)m->arg[AUDIT_MMAP_FLAGS], fd = (long)m->arg[AUDIT_MMAP_FD];
		bool anon = (flags & MAP_ANONYMOUS) != 0;
		bool zero = m->path != NULL && strcmp(m->path, "/dev/zero") == 0;
		bool file = !anon && S_ISREG((mode_t)m->arg[AUDIT_MMAP_FMODE]);
		bool is_shared = (flags & MAP_TYPE) == MAP_SHARED || (flags & MAP_TYPE) == MAP_SHARED_VALIDATE;
		n++;
		snprintf(seen, sizeof(seen), "mmap(NULL, %ld, %s%s%s, %s%s, %ld, %ld)%s%s",
			 (long)m->arg[AUDIT_MMAP_LENGTH],
			 m->arg[AUDIT_MMAP_PROT] & PROT_READ ? "PROT_READ" : "",
			 (m->arg[AUDIT_MMAP_PROT] & (PROT_READ | PROT_WRITE)) == (PROT_READ | PROT_WRITE) ? "|" : "",
			 m->arg[AUDIT_MMAP_PROT] & PROT_WRITE ? "PROT_WRITE" : "",
			 is_shared ? "MAP_SHARED" : "MAP_PRIVATE", anon ? "|MAP_ANONYMOUS" : "", fd,
			 (long)m->arg[AUDIT_MMAP_OFFSET], m->path ? " of " : "", m->path ? m->path : "");
		if (is_shared != shared)
			return fail(c, t, want, seen, shared
				    ? "MAP_PRIVATE gives each process its own copy on write: the child's "
				      "write never reaches the parent (use MAP_SHARED)"
				    : "with -p the mapping must be MAP_PRIVATE: each process then writes "
				      "to a copy of its own");
		if ((kind == MAP_KIND_ANONYMOUS && !(anon && fd == -1)) ||
		    (kind == MAP_KIND_DEV_ZERO && !zero) || (kind == MAP_KIND_FILE && !file))
			return fail(c, t, want, seen, kind == MAP_KIND_ANONYMOUS
				    ? "an anonymous mapping: flags MAP_SHARED|MAP_ANONYMOUS and fd -1, no file"
				    : kind == MAP_KIND_DEV_ZERO ? "this program shows the other way: open "
				      "/dev/zero and map it MAP_SHARED"
				    : "map the regular file the lab is about");
		if ((m->arg[AUDIT_MMAP_PROT] & prot) != prot)
			return fail(c, t, want, seen, prot & PROT_WRITE
				    ? "the mapping is written to: it needs PROT_READ|PROT_WRITE (the "
				      "document's PROT_WRITE alone is readable only by accident of x86)"
				    : "the mapping is read: it needs PROT_READ");
	}
	if (n == 0)
		return fail(c, t, want, "no successful mmap", "the program never made a mapping: "
			    "whatever it printed, it did not come through shared memory");
	check_pass(c);
	return true;
}

bool judge_within_file(struct check *c, const struct trial *t)
{
	if (!judge_mapped(c, t))
		return false;
	const struct audit_log *log = &t->audit;
	int pid = audit_main_pid(log);
	const struct audit_rec *m;
	char seen[300];

	EACH_MMAP(log, pid, i, m) {
		long long size = (long long)m->arg[AUDIT_MMAP_FSIZE];
		long long end = (long long)m->arg[AUDIT_MMAP_OFFSET] + (long long)m->arg[AUDIT_MMAP_LENGTH];
		if (!S_ISREG((mode_t)m->arg[AUDIT_MMAP_FMODE]) || end <= size)
			continue;
		snprintf(seen, sizeof(seen), "mmap of %lld bytes of a file %lld bytes long", end, size);
		return fail(c, t, "a mapping no longer than its file", seen, "make the file long enough "
			    "with ftruncate before mmap: touching a page past the end of the file "
			    "is SIGBUS (pitfall 4)");
	}
	check_pass(c);
	return true;
}

bool judge_fork_wait(struct check *c, const struct trial *t)
{
	if (!judge_audited(c, t))
		return false;
	const struct audit_log *log = &t->audit;
	int pid = audit_main_pid(log);
	struct audit_child kids[16];
	size_t n = audit_children(log, pid, kids, 16);
	const struct audit_rec *r;
	char seen[300];

	if (n == 0)
		return fail(c, t, "a fork and a wait for the child", "no fork",
			    "the program never forked: parent and child are the lab's point");
	for (size_t i = 0; i < n && i < 16; i++) {
		if (strcmp(kids[i].fork->fn, "vfork") == 0)
			return fail(c, t, "fork", "vfork", "vfork lends the parent's memory to the child "
				    "until it calls exec or _exit: the child may not write or return; "
				    "use fork");
		if (kids[i].fork->arg[AUDIT_FORK_PENDING] > 0) {
			snprintf(seen, sizeof(seen), "%lld bytes still in the stdout buffer at fork",
				 (long long)kids[i].fork->arg[AUDIT_FORK_PENDING]);
			return fail(c, t, "an empty stdout buffer at fork", seen, "both processes inherit "
				    "the buffer and both print it (twice on a pipe): fflush(stdout) "
				    "before fork()");
		}
		if (kids[i].wait == NULL) {
			snprintf(seen, sizeof(seen), "child %d was never waited for", kids[i].pid);
			return fail(c, t, "waitpid for every child", seen, "the parent must wait for "
				    "the child (waitpid) before reading what it wrote: without it the "
				    "order is luck, and the child stays a zombie");
		}
	}
	for (size_t pos = 0; (r = audit_next(log, &pos, pid, AUDIT_SLEEP)) != NULL;)
		return fail(c, t, "waitpid, no sleep", "the parent called sleep()", "sleep() is not "
			    "synchronisation: on a busy machine the child can take longer than any "
			    "sleep -- wait for the child instead");
	for (size_t pos = 0; (r = audit_next(log, &pos, 0, AUDIT_EXIT)) != NULL;)
		if (strcmp(r->fn, "_exit") == 0 && r->arg[AUDIT_EXIT_PENDING] > 0) {
			snprintf(seen, sizeof(seen), "%lld bytes of stdout lost at _exit in process %d",
				 (long long)r->arg[AUDIT_EXIT_PENDING], r->pid);
			return fail(c, t, "nothing left in stdout's buffer at _exit", seen, "_exit does "
				    "not flush stdio: what was printed is lost when stdout is a pipe -- "
				    "fflush(stdout) first, or call exit()");
		}
	check_pass(c);
	return true;
}

bool judge_injected_failure(struct check *c, const struct trial *t, const char *prog,
			    const char *call, int err)
{
	const struct run_result *r = &t->res;
	char *want = xasprintf("exit 1, stderr: %s: %s: %s", prog, call, strerror(err));
	bool injected = false;
	char how[300], crash[600];

	for (size_t i = 0; i < t->audit.n; i++)
		injected |= t->audit.rec[i].injected;
	const char *hint = NULL;
	if (r->end == RUN_NOT_STARTED || r->end == RUN_SKIPPED)
		hint = r->end == RUN_SKIPPED ? "not run: the program ran out of time twice in this "
					       "lab already" : "the program was not built: see the "
					       "compiler's messages at the top of this lab";
	else if (!injected && t->audit.n > 0)
		hint = "the call that was made to fail was never reached: the program does not "
		       "do what the lab asks (yet)";
	else if (r->end == RUN_SIGNALED)
		hint = strcmp(call, "mmap") == 0
		       ? "it crashed when mmap failed: compare mmap's result with MAP_FAILED, which "
			 "is (void *)-1 -- a comparison with NULL never sees the failure (pitfall 7)"
		       : "it crashed when a call failed: check every call's result";
	else if (r->end != RUN_EXITED)
		hint = "it did not end when the call failed";
	else if (r->code == 0)
		hint = strcmp(call, "mmap") == 0
		       ? "it exited 0 although mmap failed: compare mmap's result with MAP_FAILED "
			 "(a NULL comparison is the usual cause) and exit 1"
		       : "it exited 0 although a call failed: check the result and exit 1";
	else if (r->code != 1)
		hint = "a failed call ends the program with exit 1";
	else if (r->out.total > 0 && strstr(r->err.data, call) == NULL)
		hint = "it printed its normal output although a call failed";
	else {
		char *line = xasprintf("%s: %s: %s", prog, call, strerror(err));
		if (strstr(r->err.data, line) == NULL)
			hint = strcmp(call, "mmap") == 0 ? "say which call failed, and why: err(1, \"mmap\") "
				"prints \"PROG: mmap: reason\"" : "say which call failed, and why: err(1, "
				"\"CALL\") prints \"PROG: CALL: reason\"";
		free(line);
	}
	if (hint == NULL) {
		free(want);
		check_pass(c);
		return true;
	}
	char *out = show_output(&r->out), *errs = show_output(&r->err);
	const char *line = r->end == RUN_SIGNALED ? audit_crash_line(t, crash, sizeof(crash)) : NULL;
	char *seen = xasprintf("%s (with %s made to fail: %s)\nstdout: %s\nstderr: %s%s%s",
			       run_describe(r, how, sizeof(how)), call, strerrorname_np(err),
			       *out ? out : "(empty)", *errs ? errs : "(empty)",
			       line ? "\n" : "", line ? line : "");
	fail(c, t, want, seen, hint);
	free(seen);
	free(out);
	free(errs);
	free(want);
	return false;
}

const char *audit_crash_line(const struct trial *t, char *buf, size_t size)
{
	const struct audit_rec *r, *last = NULL;

	for (size_t pos = 0; (r = audit_next(&t->audit, &pos, 0, AUDIT_CRASH)) != NULL;)
		last = r;
	if (last == NULL)
		return NULL;
	struct audit_fault_info info;
	audit_fault_explain(&t->audit, last, &info);
	return audit_fault_describe(&info, buf, size);
}
