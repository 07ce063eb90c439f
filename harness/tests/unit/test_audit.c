/*
 * test_audit.c: unit tests of the audit library (bin/mmapaudit.so) and of
 * its reader (harness/audit/log.h).
 *
 * Each test runs build/tests/audit/auditee (harness/tests/audit/auditee.c)
 * through run_program() with the library preloaded and MMAPAUDIT_LOG set,
 * then checks the records through log.h: records across fork and exec,
 * a program that closes every descriptor, fault and delay injection, crash
 * records for SIGBUS and SIGSEGV, and a static binary that yields none.  The
 * reader is also fed garbage.  The library and the auditee are found from
 * this test's own path: the nearest ancestor holding bin/mmapaudit.so.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/log.h"
#include "run/run.h"
#include "run/sys.h"
#include "project_top.h"

static char *base;	/* every test's directory is made under it; removed by main */
static char *dir;	/* this test's working directory */
static char *logfile;	/* dir/audit.log */
static char *lib, *auditee, *auditee_static;

static void setup(void)
{
	run_init();
	dir = make_temp_dir(base, "t");
	logfile = xasprintf("%s/audit.log", dir);
	/* The grader creates the log; the library only appends to it. */
	int fd = open(logfile, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(close(fd), 0);
}

static void find_programs(void)
{
	char *top = project_top();

	lib = xasprintf("%s/bin/mmapaudit.so", top);
	auditee = xasprintf("%s/build/tests/audit/auditee", top);
	auditee_static = xasprintf("%s/build/tests/audit/auditee-static", top);
	free(top);
}

/* Runs argv (argv[0]: the path) in dir under the library, with the extra
 * MMAPAUDIT_* settings in env (NULL-ended, may be NULL); loads the log. */
static void audited(const char *const *argv, const char *const *env,
		    struct run_result *res, struct audit_log *log)
{
	const char *full[16];
	size_t n = 0;
	char *preload = xasprintf("LD_PRELOAD=%s", lib);
	char *logenv = xasprintf("MMAPAUDIT_LOG=%s", logfile);

	full[n++] = preload;
	full[n++] = logenv;
	for (; env != NULL && *env != NULL && n < 15; env++)
		full[n++] = *env;
	full[n] = NULL;
	struct run_spec spec = { .argv = argv, .env = full, .dir = dir,
				 .limits = run_default_limits };
	ck_assert_msg(run_program(&spec, res) == 0, "run_program: %s", res->error);
	ck_assert_msg(res->end != RUN_NOT_STARTED, "%s", res->error);
	ck_assert_int_eq(audit_log_load(logfile, log), 0);
	free(preload);
	free(logenv);
}

/* auditee MODE [FILE] under the library; FILE is made absolute in dir. */
static void auditee_run(const char *mode, const char *file, const char *const *env,
			struct run_result *res, struct audit_log *log)
{
	char *path = file != NULL ? xasprintf("%s/%s", dir, file) : NULL;
	const char *argv[] = { auditee, mode, path, NULL };

	audited(argv, env, res, log);
	free(path);
}

static void exited(const struct run_result *res, int code)
{
	char what[128];

	ck_assert_msg(res->end == RUN_EXITED && res->code == code,
		      "wanted exit %d, got %s; stderr: %s", code,
		      run_describe(res, what, sizeof what), res->err.data);
}

/* The only record of pid for call, asserting there is exactly one. */
static const struct audit_rec *one(const struct audit_log *log, int pid,
				   enum audit_call call)
{
	size_t pos = 0;
	const struct audit_rec *r = audit_next(log, &pos, pid, call);

	ck_assert_msg(r != NULL, "no record of call %d for pid %d", call, pid);
	ck_assert_msg(audit_next(log, &pos, pid, call) == NULL,
		      "more than one record of call %d for pid %d", call, pid);
	return r;
}

static size_t count(const struct audit_log *log, int pid, enum audit_call call)
{
	size_t pos = 0, n = 0;

	while (audit_next(log, &pos, pid, call) != NULL)
		n++;
	return n;
}

static void done(struct run_result *res, struct audit_log *log)
{
	run_result_free(res);
	audit_log_free(log);
}

/* --- records ------------------------------------------------------------------ */

START_TEST(test_fork_records_carry_the_child)
{
	struct run_result res;
	struct audit_log log;

	auditee_run("fork", NULL, NULL, &res, &log);
	exited(&res, 0);
	ck_assert_str_eq(res.out.data, "42\n");
	ck_assert_uint_eq(log.bad, 0);

	int parent = audit_main_pid(&log);
	const struct audit_rec *start = one(&log, parent, AUDIT_START);
	ck_assert_int_eq(start->seq, 1);
	ck_assert_str_eq(start->path, auditee);
	ck_assert_int_eq(start->arg[AUDIT_START_ARGC], 2);

	struct audit_child kids[4];
	ck_assert_uint_eq(audit_children(&log, parent, kids, 4), 1);
	int child = kids[0].pid;
	ck_assert_int_ne(child, parent);

	/* The child's own records: its pid, its parent, numbered afresh. */
	const struct audit_rec *cf = one(&log, child, AUDIT_FORK);
	ck_assert_int_eq(cf->ret, 0);
	ck_assert_int_eq(cf->ppid, parent);
	ck_assert_int_eq(cf->seq, 1);
	const struct audit_rec *ce = one(&log, child, AUDIT_EXIT);
	ck_assert_str_eq(ce->fn, "exit");
	ck_assert_int_eq(ce->arg[AUDIT_EXIT_STATUS], 0);
	ck_assert_ptr_eq(kids[0].end, ce);

	/* The parent's side: waited for it, and returned from main. */
	ck_assert_ptr_nonnull(kids[0].wait);
	ck_assert_str_eq(kids[0].wait->fn, "waitpid");
	ck_assert_int_eq(kids[0].wait->arg[AUDIT_WAIT_STATUS], 0);
	const struct audit_rec *pe = one(&log, parent, AUDIT_EXIT);
	ck_assert_str_eq(pe->fn, "return");
	ck_assert_int_eq(pe->arg[AUDIT_EXIT_STATUS], 0);
	ck_assert_uint_eq(count(&log, 0, AUDIT_MMAP), 1);
	ck_assert_uint_eq(count(&log, parent, AUDIT_MUNMAP), 1);
	done(&res, &log);
}
END_TEST

START_TEST(test_unwaited_child_told_apart)
{
	struct run_result res;
	struct audit_log log;

	auditee_run("zombie", NULL, NULL, &res, &log);
	exited(&res, 0);
	struct audit_child kids[2];
	ck_assert_uint_eq(audit_children(&log, audit_main_pid(&log), kids, 2), 2);
	ck_assert_ptr_null(kids[0].wait);
	ck_assert_ptr_nonnull(kids[1].wait);
	ck_assert_int_eq(kids[1].wait->arg[AUDIT_WAIT_REAPED], kids[1].pid);
	ck_assert_int_eq(kids[1].wait->arg[AUDIT_WAIT_STATUS], 3 << 8);	/* exit 3 */
	done(&res, &log);
}
END_TEST

START_TEST(test_exec_starts_again)
{
	struct run_result res;
	struct audit_log log;

	auditee_run("exec", NULL, NULL, &res, &log);
	exited(&res, 0);
	int pid = audit_main_pid(&log);
	size_t pos = 0;
	const struct audit_rec *first = audit_next(&log, &pos, pid, AUDIT_START);
	const struct audit_rec *second = audit_next(&log, &pos, pid, AUDIT_START);
	ck_assert_ptr_nonnull(second);
	ck_assert_str_eq(first->path2, auditee);
	ck_assert_str_eq(second->path2, "auditee-exec");
	ck_assert_str_eq(second->path, auditee);
	ck_assert_int_eq(second->seq, 1);
	/* Everything after the exec is the new image's, same pid. */
	const struct audit_rec *m = audit_next(&log, &pos, pid, AUDIT_MMAP);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(m->seq, 2);
	ck_assert_int_eq(one(&log, pid, AUDIT_EXIT)->arg[AUDIT_EXIT_STATUS], 0);
	done(&res, &log);
}
END_TEST

/* close, dup2, close_range, closefrom, then raw syscalls: the records after
 * all of that still arrive. */
START_TEST(test_survives_closing_every_descriptor)
{
	struct run_result res;
	struct audit_log log;

	auditee_run("closeall", NULL, NULL, &res, &log);
	exited(&res, 0);
	int pid = audit_main_pid(&log);
	ck_assert_uint_ge(count(&log, pid, AUDIT_CLOSE), 1024);
	/* The log's own descriptor was refused as if never open. */
	size_t pos = 0, refused = 0;
	for (const struct audit_rec *r; (r = audit_next(&log, &pos, pid, AUDIT_CLOSE));)
		refused += r->ret == -1 && r->err == EBADF && r->arg[AUDIT_CLOSE_FD] > 2;
	ck_assert_uint_eq(refused, 1024 - 3);
	const struct audit_rec *m = one(&log, pid, AUDIT_MMAP);
	ck_assert_int_ne(m->ret, -1);
	ck_assert_int_eq(one(&log, pid, AUDIT_MUNMAP)->ret, 0);
	ck_assert_int_eq(one(&log, pid, AUDIT_EXIT)->arg[AUDIT_EXIT_STATUS], 0);
	ck_assert_uint_eq(log.bad, 0);
	done(&res, &log);
}
END_TEST

/* The log's number, reused behind the library's back, is the program's to
 * close; the log carries on elsewhere. */
START_TEST(test_stale_log_number_is_the_programs)
{
	struct run_result res;
	struct audit_log log;

	auditee_run("stale", NULL, NULL, &res, &log);
	exited(&res, 0);
	ck_assert_str_eq(res.out.data, "close 0\n");
	int pid = audit_main_pid(&log);
	ck_assert_int_eq(one(&log, pid, AUDIT_MUNMAP)->ret, 0);
	ck_assert_int_eq(one(&log, pid, AUDIT_EXIT)->arg[AUDIT_EXIT_STATUS], 0);
	done(&res, &log);
}
END_TEST

START_TEST(test_pending_stdout_at_fork)
{
	struct run_result res;
	struct audit_log log;

	auditee_run("pending", NULL, NULL, &res, &log);
	exited(&res, 0);
	ck_assert_str_eq(res.out.data, "abc\n");	/* the child's copy died with _exit */
	int parent = audit_main_pid(&log);
	struct audit_child kid;
	ck_assert_uint_eq(audit_children(&log, parent, &kid, 1), 1);
	ck_assert_int_eq(kid.fork->arg[AUDIT_FORK_PENDING], 3);
	ck_assert_str_eq(kid.end->fn, "_exit");
	ck_assert_int_eq(kid.end->arg[AUDIT_EXIT_PENDING], 3);
	done(&res, &log);
}
END_TEST

/* Errno is as the real calls left it, whatever the wrappers did meanwhile;
 * and a path with spaces, a newline and a % comes back as it went. */
START_TEST(test_paths_escaped_and_errno_kept)
{
	struct run_result res;
	struct audit_log log;
	const char *name = "a b\n%c-d";

	auditee_run("errno", name, NULL, &res, &log);
	exited(&res, 0);
	ck_assert_str_eq(res.out.data, "errno 33\n");	/* EDOM, set before the calls */
	int pid = audit_main_pid(&log);
	char *path = xasprintf("%s/%s", dir, name);
	ck_assert_str_eq(one(&log, pid, AUDIT_OPEN)->path, path);
	ck_assert_str_eq(one(&log, pid, AUDIT_UNLINK)->path, path);
	const struct audit_rec *m = one(&log, pid, AUDIT_MMAP);
	ck_assert_str_eq(m->path, path);
	ck_assert_int_eq(m->arg[AUDIT_MMAP_FSIZE], sysconf(_SC_PAGESIZE));
	ck_assert(S_ISREG(m->arg[AUDIT_MMAP_FMODE]));
	ck_assert_int_eq(m->arg[AUDIT_MMAP_FLAGS], MAP_SHARED);
	free(path);
	done(&res, &log);
}
END_TEST

/* --- fault and delay injection ---------------------------------------------------- */

static const struct {
	const char *fail;	/* MMAPAUDIT_FAIL */
	const char *out;	/* what the auditee saw */
	enum audit_call call;
	int nth, err;
	size_t children;	/* forked by the auditee */
} faults[] = {
	{ "MMAPAUDIT_FAIL=mmap:2:ENOMEM", "open 0 0\nftruncate 0 0\nmmap 0 0\nmmap -1 12\n",
	  AUDIT_MMAP, 2, ENOMEM, 1 },
	{ "MMAPAUDIT_FAIL=open:1:EACCES", "open -1 13\n", AUDIT_OPEN, 1, EACCES, 0 },
	{ "MMAPAUDIT_FAIL=ftruncate:1:27", "open 0 0\nftruncate -1 27\n", AUDIT_FTRUNCATE,
	  1, EFBIG, 1 },
	{ "MMAPAUDIT_FAIL=fork:1:EAGAIN,close:9:EIO", "mmap 0 0\nfork -1 11\nclose 0 0\n",
	  AUDIT_FORK, 1, EAGAIN, 0 },
};

START_TEST(test_fault_injection)
{
	struct run_result res;
	struct audit_log log;
	const char *env[] = { faults[_i].fail, NULL };

	auditee_run("calls", "data", env, &res, &log);
	exited(&res, 0);
	ck_assert_msg(strstr(res.out.data, faults[_i].out) != NULL, "%s: stdout was\n%s",
		      faults[_i].fail, res.out.data);
	int pid = audit_main_pid(&log);
	size_t pos = 0;
	const struct audit_rec *r;
	for (int n = 1; (r = audit_next(&log, &pos, pid, faults[_i].call)) != NULL; n++) {
		ck_assert_int_eq(r->injected, n == faults[_i].nth);
		if (n == faults[_i].nth) {
			ck_assert_int_eq(r->ret, -1);
			ck_assert_int_eq(r->err, faults[_i].err);
		}
	}
	/* No child came of an injected fork. */
	ck_assert_uint_eq(audit_children(&log, pid, NULL, 0), faults[_i].children);
	ck_assert_uint_eq(count(&log, 0, AUDIT_CONFIG), 0);
	done(&res, &log);
}
END_TEST

START_TEST(test_bad_setting_reported)
{
	struct run_result res;
	struct audit_log log;
	const char *env[] = { "MMAPAUDIT_FAIL=mmap:one:ENOMEM,open:1:EACCES",
			      "MMAPAUDIT_SLEEP=sometimes", NULL };

	auditee_run("calls", "data", env, &res, &log);
	exited(&res, 0);
	ck_assert_str_eq(res.out.data, "open -1 13\n");	/* the good rule still holds */
	size_t pos = 0;
	const struct audit_rec *c1 = audit_next(&log, &pos, 0, AUDIT_CONFIG);
	const struct audit_rec *c2 = audit_next(&log, &pos, 0, AUDIT_CONFIG);
	ck_assert_ptr_nonnull(c2);
	ck_assert_str_eq(c1->path, "MMAPAUDIT_FAIL=mmap:one:ENOMEM");
	ck_assert_str_eq(c2->path, "MMAPAUDIT_SLEEP=sometimes");
	done(&res, &log);
}
END_TEST

/* Runs a child-writes, parent-reads MODE of the auditee ("race", "spin"),
 * which must exit 0 printing "p=VALUE xxx_ms=MS". */
static void parent_reads(const char *mode, const char *const *env, struct run_result *res,
			 struct audit_log *log, int *p, int *ms)
{
	auditee_run(mode, NULL, env, res, log);
	exited(res, 0);
	ck_assert_msg(sscanf(res->out.data, "p=%d %*[a-z]_ms=%d", p, ms) == 2, "printed: %s",
		      res->out.data);
}

/* The document's sleep(1) "synchronisation": with the child held back until
 * its parent waits and sleep returning at once, the parent reads before the
 * child wrote; its wait then lets the child go, long before the bound. */
START_TEST(test_delay_and_sleep_skip)
{
	struct run_result res;
	struct audit_log log;
	const char *env[] = { "MMAPAUDIT_CHILD_DELAY_MS=500", "MMAPAUDIT_SLEEP=skip", NULL };
	int p, ms;

	parent_reads("race", env, &res, &log, &p, &ms);
	ck_assert_int_eq(p, 0);
	ck_assert_int_lt(ms, 100);
	int parent = audit_main_pid(&log);
	const struct audit_rec *s = one(&log, parent, AUDIT_SLEEP);
	ck_assert(s->injected);
	ck_assert_int_eq(s->arg[AUDIT_SLEEP_NS], 1000000000);
	struct audit_child kid;
	ck_assert_uint_eq(audit_children(&log, parent, &kid, 1), 1);
	/* Held back past the parent's sleep, let go at its wait. */
	const struct audit_rec *born = one(&log, kid.pid, AUDIT_FORK);
	ck_assert_int_gt(kid.end->t_ns, s->t_ns);
	ck_assert_int_lt(kid.end->t_ns - born->t_ns, 400 * 1000000LL);
	done(&res, &log);
}
END_TEST

/* A parent that never waits (it polls the mapping): its child is held back
 * the whole bound, then let go. */
START_TEST(test_delay_bound_without_wait)
{
	struct run_result res;
	struct audit_log log;
	int p, ms;

	parent_reads("spin", (const char *[]){ "MMAPAUDIT_CHILD_DELAY_MS=300", NULL }, &res, &log,
		     &p, &ms);
	ck_assert_int_eq(p, 2000);
	ck_assert_msg(ms >= 280 && ms < 3000, "spun %d ms", ms);
	done(&res, &log);
}
END_TEST

/* Without injection the same program gets it right: sleep really sleeps. */
START_TEST(test_sleep_not_skipped_by_default)
{
	struct run_result res;
	struct audit_log log;
	int p, ms;

	parent_reads("race", NULL, &res, &log, &p, &ms);
	ck_assert_int_eq(p, 2000);
	ck_assert_int_ge(ms, 900);
	ck_assert(!one(&log, audit_main_pid(&log), AUDIT_SLEEP)->injected);
	done(&res, &log);
}
END_TEST

/* --- crashes ------------------------------------------------------------------------ */

/* Runs a crashing mode; returns its crash record, explained in info. */
static const struct audit_rec *crashed(const char *mode, const char *file,
				       const char *const *env, int sig,
				       struct run_result *res, struct audit_log *log,
				       struct audit_fault_info *info)
{
	auditee_run(mode, file, env, res, log);
	if (sig != 0)
		ck_assert_msg(res->end == RUN_SIGNALED && res->sig == sig,
			      "%s: not killed by signal %d", mode, sig);
	size_t pos = 0;
	const struct audit_rec *c = audit_next(log, &pos, 0, AUDIT_CRASH);
	ck_assert_msg(c != NULL, "%s: no crash record", mode);
	audit_fault_explain(log, c, info);
	return c;
}

START_TEST(test_crash_past_end_of_file)
{
	struct run_result res;
	struct audit_log log;
	struct audit_fault_info f;
	long pg = sysconf(_SC_PAGESIZE);
	char text[512];

	const struct audit_rec *c = crashed("sigbus", "short", NULL, SIGBUS, &res, &log, &f);
	const struct audit_rec *m = one(&log, c->pid, AUDIT_MMAP);
	ck_assert_int_eq(c->arg[AUDIT_CRASH_SIG], SIGBUS);
	ck_assert_int_eq(c->arg[AUDIT_CRASH_CODE], BUS_ADRERR);
	ck_assert_uint_eq((uint64_t)c->arg[AUDIT_CRASH_ADDR], (uint64_t)m->ret + pg + 5);
	ck_assert_int_eq(c->arg[AUDIT_CRASH_MSTART], m->ret);
	ck_assert_int_eq(c->arg[AUDIT_CRASH_MSIZE], 1);
	ck_assert_int_eq(f.kind, AUDIT_FAULT_PAST_EOF);
	ck_assert_ptr_eq(f.mmap, m);
	ck_assert_uint_eq(f.offset, pg + 5);
	ck_assert_int_eq(f.file_offset, pg + 5);
	ck_assert_int_eq(f.file_size, 1);
	audit_fault_describe(&f, text, sizeof text);
	ck_assert_msg(strstr(text, "SIGBUS") && strstr(text, "of short") &&
		      strstr(text, "past the end of the file"), "%s", text);
	done(&res, &log);
}
END_TEST

/* The mapping was made by the parent: the child inherited it at fork. */
START_TEST(test_crash_in_child_finds_inherited_mapping)
{
	struct run_result res;
	struct audit_log log;
	struct audit_fault_info f;

	const struct audit_rec *c = crashed("childbus", "short", NULL, 0, &res, &log, &f);
	exited(&res, 0);
	int parent = audit_main_pid(&log);
	ck_assert_int_ne(c->pid, parent);
	ck_assert_int_eq(f.kind, AUDIT_FAULT_PAST_EOF);
	ck_assert_ptr_nonnull(f.mmap);
	ck_assert_int_eq(f.mmap->pid, parent);
	struct audit_child kid;
	ck_assert_uint_eq(audit_children(&log, parent, &kid, 1), 1);
	ck_assert_ptr_eq(kid.end, c);
	ck_assert_int_eq(kid.wait->arg[AUDIT_WAIT_STATUS], SIGBUS);	/* WTERMSIG */
	done(&res, &log);
}
END_TEST

static const struct {
	const char *mode, *fail;
	enum audit_fault kind;
	const char *says;
} segv[] = {
	{ "readonly", NULL, AUDIT_FAULT_READ_ONLY, "has no PROT_WRITE" },
	{ "mapfailed", "MMAPAUDIT_FAIL=mmap:1:ENOMEM", AUDIT_FAULT_MAP_FAILED, "ENOMEM" },
	{ "unmapped", NULL, AUDIT_FAULT_UNMAPPED, "after munmap" },
};

START_TEST(test_crash_sigsegv_explained)
{
	struct run_result res;
	struct audit_log log;
	struct audit_fault_info f;
	const char *env[] = { segv[_i].fail, NULL };
	char text[512];

	const struct audit_rec *c = crashed(segv[_i].mode, NULL, env, SIGSEGV, &res, &log, &f);
	ck_assert_int_eq(c->arg[AUDIT_CRASH_SIG], SIGSEGV);
	ck_assert_msg(f.kind == segv[_i].kind, "%s: kind %d", segv[_i].mode, f.kind);
	const struct audit_rec *m = one(&log, c->pid, AUDIT_MMAP);
	ck_assert_ptr_eq(f.mmap, m);
	if (f.kind == AUDIT_FAULT_UNMAPPED)
		ck_assert_ptr_eq(f.munmap, one(&log, c->pid, AUDIT_MUNMAP));
	if (f.kind == AUDIT_FAULT_MAP_FAILED)
		ck_assert_uint_eq((uint64_t)c->arg[AUDIT_CRASH_ADDR], UINT64_MAX);
	audit_fault_describe(&f, text, sizeof text);
	ck_assert_msg(strstr(text, segv[_i].says) != NULL, "%s", text);
	done(&res, &log);
}
END_TEST

/* A SIGBUS sent with kill() is no fault the kernel repeats: the handler
 * records it and must still let it kill the process. */
START_TEST(test_crash_sent_signal_still_kills)
{
	struct run_result res;
	struct audit_log log;
	struct audit_fault_info f;

	const struct audit_rec *c = crashed("killself", NULL, NULL, SIGBUS, &res, &log, &f);
	ck_assert_str_eq(res.out.data, "");
	ck_assert_int_eq(c->arg[AUDIT_CRASH_CODE], SI_USER);
	done(&res, &log);
}
END_TEST

/* --- what the library cannot see, and the reader's defences ------------------- */

START_TEST(test_static_binary_leaves_no_record)
{
	struct run_result res;
	struct audit_log log;
	const char *argv[] = { auditee_static, "fork", NULL };

	audited(argv, NULL, &res, &log);
	exited(&res, 0);
	ck_assert_str_eq(res.out.data, "42\n");
	ck_assert_uint_eq(log.n, 0);
	ck_assert_int_eq(audit_main_pid(&log), 0);
	done(&res, &log);
}
END_TEST

/* A full log stops growing, says so, and never costs the program SIGXFSZ. */
START_TEST(test_log_size_capped)
{
	struct run_result res;
	struct audit_log log;
	const char *env[] = { "MMAPAUDIT_LOG_MAX=3000", NULL };
	struct stat st;

	auditee_run("closeall", NULL, env, &res, &log);
	exited(&res, 0);
	ck_assert_int_eq(stat(logfile, &st), 0);
	ck_assert_int_le(st.st_size, 3000 + 200);
	ck_assert(log.full);
	ck_assert_uint_eq(count(&log, 0, AUDIT_FULL), 1);
	ck_assert_uint_eq(count(&log, 0, AUDIT_MMAP), 0);
	done(&res, &log);
}
END_TEST

START_TEST(test_reader_survives_garbage)
{
	struct audit_log log;
	char line[8192];
	FILE *f = fopen(logfile, "w");

	ck_assert_ptr_nonnull(f);
	fputs("1 10 1 5 start 0 0 0 1 1 /bin/x x\n", f);		/* good */
	fputs("\x01\xff garbage\n\n \n", f);				/* noise */
	fputs("2 10 1 5 mmap 0x1000 0 0 0x0 4 0x3 0x1 3 0\n", f);	/* fields missing */
	fputs("2 10 1 5 mmap 0x1000 0 0 0x0 4 0x3 0x1 3 0 1 0 - extra\n", f);
	fputs("3 10 1 5 open 3 0 0 -100 bad%zz 0x0 00\n", f);		/* bad escape */
	fputs("3 10 1 5 open 3 0 0 -100 x%4 0x0 00\n", f);		/* cut escape */
	fputs("4 10 1 5 close 0 0 0 99999999999999999999999\n", f);	/* too big */
	fputs("5 -3 1 5 close 0 0 0 1\n", f);				/* bad pid */
	fputs("6 10 1 5 close 0 0 2 1\n", f);				/* bad flag */
	fputs("7 10 1 5 close  0 0 0 1\n", f);				/* empty field */
	fputs("8 10 1 5 frobnicate 0 0 0\n", f);			/* unknown call */
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	fputs(line, f);							/* overlong */
	fputs("\n9 10 1 5 crash 0 0 0 11 1 0x10 0 -1 0 0 0 0 0 -1 -\n", f);	/* good */
	fputs("10 10 1 5 close 0 0 0", f);				/* torn */
	ck_assert_int_eq(fclose(f), 0);

	ck_assert_int_eq(audit_log_load(logfile, &log), 0);
	ck_assert_uint_eq(log.n, 2);
	ck_assert_uint_eq(log.bad, 14);
	ck_assert(log.cut);
	struct audit_fault_info info;
	audit_fault_explain(&log, &log.rec[1], &info);
	ck_assert_int_eq(info.kind, AUDIT_FAULT_NULL);
	audit_fault_explain(&log, &log.rec[0], &info);	/* not a crash */
	ck_assert_int_eq(info.kind, AUDIT_FAULT_UNKNOWN);
	audit_log_free(&log);

	/* No log at all, or not a regular file: -1, never a hang. */
	ck_assert_int_eq(audit_log_load("/nonexistent/audit.log", &log), -1);
	char *fifo = xasprintf("%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(audit_log_load(fifo, &log), -1);
	free(fifo);
}
END_TEST

/* A forged ancestry that loops (a process its own parent) is followed a
 * bounded number of steps: the walk ends, and the mmap before the loop is
 * out of its reach. */
START_TEST(test_reader_forged_fork_loop)
{
	struct audit_log log;
	struct audit_maps maps;
	FILE *f = fopen(logfile, "w");

	ck_assert_ptr_nonnull(f);
	fputs("1 10 10 5 mmap 0x10000 0 0 0x0 4 0x3 0x21 -1 0 -1 00 -\n", f);
	fputs("2 10 10 5 fork 0 0 0 0\n", f);
	fputs("3 10 10 5 fork 10 0 0 0\n", f);
	fputs("4 10 10 5 munmap 0 0 0 0x10000 4096\n", f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(audit_log_load(logfile, &log), 0);
	ck_assert_uint_eq(log.n, 4);
	audit_maps_at(&log, 10, log.n, &maps);
	ck_assert_ptr_null(audit_maps_find(&maps, 0x10008));
	ck_assert_uint_eq(maps.n, 0);
	audit_log_free(&log);
}
END_TEST

/* --- every function of a kind is counted and can be failed (issue 12) ------ */

/* auditee variants: the Nth call of KIND is FN (auditee.c gives the order). */
static const struct {
	const char *fail;	/* MMAPAUDIT_FAIL */
	enum audit_call call;
	int nth;
	const char *fn;
} each_function[] = {
	{ "MMAPAUDIT_FAIL=open:1:EIO", AUDIT_OPEN, 1, "open" },
	{ "MMAPAUDIT_FAIL=open:2:EIO", AUDIT_OPEN, 2, "openat" },
	{ "MMAPAUDIT_FAIL=open:3:EIO", AUDIT_OPEN, 3, "creat" },
	{ "MMAPAUDIT_FAIL=open:4:EIO", AUDIT_OPEN, 4, "mkstemp" },
	{ "MMAPAUDIT_FAIL=open:5:EIO", AUDIT_OPEN, 5, "fopen" },
	{ "MMAPAUDIT_FAIL=close:1:EIO", AUDIT_CLOSE, 1, "close" },
	{ "MMAPAUDIT_FAIL=close:5:EIO", AUDIT_CLOSE, 5, "fclose" },
	{ "MMAPAUDIT_FAIL=unlink:1:EIO", AUDIT_UNLINK, 1, "unlink" },
	{ "MMAPAUDIT_FAIL=unlink:2:EIO", AUDIT_UNLINK, 2, "unlinkat" },
	{ "MMAPAUDIT_FAIL=unlink:3:EIO", AUDIT_UNLINK, 3, "remove" },
	{ "MMAPAUDIT_FAIL=fork:2:EIO", AUDIT_FORK, 2, "fork" },
	{ "MMAPAUDIT_FAIL=wait:1:EIO", AUDIT_WAIT, 1, "wait" },
	{ "MMAPAUDIT_FAIL=wait:2:EIO", AUDIT_WAIT, 2, "waitpid" },
	{ "MMAPAUDIT_FAIL=wait:3:EIO", AUDIT_WAIT, 3, "wait4" },
	{ "MMAPAUDIT_FAIL=wait:4:EIO", AUDIT_WAIT, 4, "waitid" },
	{ "MMAPAUDIT_FAIL=ftruncate:1:EIO", AUDIT_FTRUNCATE, 1, "ftruncate" },
	{ "MMAPAUDIT_FAIL=mmap:1:EIO", AUDIT_MMAP, 1, "mmap" },
	{ "MMAPAUDIT_FAIL=munmap:1:EIO", AUDIT_MUNMAP, 1, "munmap" },
};

START_TEST(test_each_function_fails_on_purpose)
{
	struct run_result res;
	struct audit_log log;
	const char *env[] = { each_function[_i].fail, NULL };
	char *line = xasprintf("\n%s -1 %d\n", each_function[_i].fn, EIO);

	auditee_run("variants", "f", env, &res, &log);
	exited(&res, 0);
	/* The program saw the failure, with the errno asked for... */
	char *out = xasprintf("\n%s", res.out.data);
	ck_assert_msg(strstr(out, line) != NULL, "%s: stdout was\n%s", each_function[_i].fail,
		      res.out.data);
	/* ...from that call only, and the log says which one it was. */
	int pid = audit_main_pid(&log), n = 0, injected = 0;
	size_t pos = 0;
	const struct audit_rec *r;
	while ((r = audit_next(&log, &pos, pid, each_function[_i].call)) != NULL) {
		n++;
		injected += r->injected;
		if (n == each_function[_i].nth) {
			ck_assert_str_eq(r->fn, each_function[_i].fn);
			ck_assert(r->injected);
			ck_assert_int_eq(r->ret, -1);
			ck_assert_int_eq(r->err, EIO);
		}
	}
	ck_assert_int_ge(n, each_function[_i].nth);
	ck_assert_int_eq(injected, 1);
	free(out);
	free(line);
	done(&res, &log);
}
END_TEST

/* fopen, fclose and remove are recorded with open's, close's and unlink's fields. */
START_TEST(test_stream_calls_recorded)
{
	struct run_result res;
	struct audit_log log;

	auditee_run("variants", "f", NULL, &res, &log);
	exited(&res, 0);
	int pid = audit_main_pid(&log);
	const struct audit_rec *op = NULL, *cl = NULL, *rm = NULL, *r;
	for (size_t pos = 0; (r = audit_next(&log, &pos, pid, AUDIT_ANY)) != NULL;) {
		if (strcmp(r->fn, "fopen") == 0)
			op = r;
		else if (strcmp(r->fn, "fclose") == 0)
			cl = r;
		else if (strcmp(r->fn, "remove") == 0 && rm == NULL)
			rm = r;
	}
	ck_assert(op != NULL && cl != NULL && rm != NULL);
	ck_assert_int_eq(op->call, AUDIT_OPEN);
	ck_assert_int_ge(op->ret, 0);
	ck_assert_ptr_nonnull(op->path);
	ck_assert_int_eq(strcmp(op->path + strlen(op->path) - 4, "/f.5"), 0);
	ck_assert_int_eq(op->arg[AUDIT_OPEN_FLAGS], O_RDWR | O_CREAT | O_TRUNC);
	ck_assert_int_eq(op->arg[AUDIT_OPEN_MODE], 0666);
	ck_assert_int_eq(cl->call, AUDIT_CLOSE);
	ck_assert_int_eq(cl->ret, 0);
	ck_assert_int_eq(cl->arg[AUDIT_CLOSE_FD], op->ret);
	ck_assert_int_eq(rm->call, AUDIT_UNLINK);
	ck_assert_int_eq(rm->ret, 0);
	ck_assert_int_eq(strcmp(rm->path + strlen(rm->path) - 4, "/f.3"), 0);
	/* libc's own open inside fopen is not seen twice. */
	ck_assert_uint_eq(count(&log, pid, AUDIT_OPEN), 6);
	done(&res, &log);
}
END_TEST

/* A child counts on from its parent's counts at the fork: a rule that fails
 * the first munmap fails the child's and the parent's, each in its process. */
START_TEST(test_child_counts_on_its_own)
{
	struct run_result res;
	struct audit_log log;
	const char *env[] = { "MMAPAUDIT_FAIL=munmap:1:EINVAL", NULL };

	auditee_run("childunmap", NULL, env, &res, &log);
	exited(&res, 0);
	ck_assert_msg(strstr(res.out.data, "child munmap -1 22\n") != NULL &&
		      strstr(res.out.data, "parent munmap -1 22\n") != NULL, "stdout:\n%s",
		      res.out.data);
	int pid = audit_main_pid(&log);
	const struct audit_rec *mine = one(&log, pid, AUDIT_MUNMAP);
	ck_assert(mine->injected);
	struct audit_child child;
	ck_assert_uint_eq(audit_children(&log, pid, &child, 1), 1);
	ck_assert(one(&log, child.pid, AUDIT_MUNMAP)->injected);
	done(&res, &log);
}
END_TEST

static Suite *audit_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("audit");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_fork_records_carry_the_child);
	tcase_add_test(tc, test_unwaited_child_told_apart);
	tcase_add_test(tc, test_exec_starts_again);
	tcase_add_test(tc, test_survives_closing_every_descriptor);
	tcase_add_test(tc, test_stale_log_number_is_the_programs);
	tcase_add_test(tc, test_pending_stdout_at_fork);
	tcase_add_test(tc, test_paths_escaped_and_errno_kept);
	tcase_add_loop_test(tc, test_fault_injection, 0, sizeof faults / sizeof faults[0]);
	tcase_add_loop_test(tc, test_each_function_fails_on_purpose, 0,
			     sizeof each_function / sizeof each_function[0]);
	tcase_add_test(tc, test_stream_calls_recorded);
	tcase_add_test(tc, test_child_counts_on_its_own);
	tcase_add_test(tc, test_bad_setting_reported);
	tcase_add_test(tc, test_delay_and_sleep_skip);
	tcase_add_test(tc, test_delay_bound_without_wait);
	tcase_add_test(tc, test_sleep_not_skipped_by_default);
	tcase_add_test(tc, test_crash_past_end_of_file);
	tcase_add_test(tc, test_crash_in_child_finds_inherited_mapping);
	tcase_add_loop_test(tc, test_crash_sigsegv_explained, 0, sizeof segv / sizeof segv[0]);
	tcase_add_test(tc, test_crash_sent_signal_still_kills);
	tcase_add_test(tc, test_static_binary_leaves_no_record);
	tcase_add_test(tc, test_log_size_capped);
	tcase_add_test(tc, test_reader_survives_garbage);
	tcase_add_test(tc, test_reader_forged_fork_loop);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	find_programs();
	base = make_temp_dir(NULL, "test_audit");
	SRunner *sr = srunner_create(audit_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (remove_tree(base) == -1)
		perror("test_audit: remove_tree");
	free(base);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
