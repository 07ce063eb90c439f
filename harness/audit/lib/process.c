/*
 * process.c: the audit library's wrappers of the calls that make and end
 * processes: fork vfork (with the delay runs' held children), wait waitpid
 * wait4 waitid, and exit _exit _Exit, with on_exit's record of a process
 * that ends without calling exit() (main returned, err()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "audit.h"

static bool exit_called;		/* the program called exit(), not libc */

/* Bytes printf has buffered but not yet written: printed twice if the
 * process forks now, lost if it calls _exit now. */
static long long stdout_pending(void)
{
	FILE *f = stdout;

	if (f == NULL || f->_IO_write_ptr == NULL || f->_IO_write_base == NULL ||
	    f->_IO_write_ptr < f->_IO_write_base)
		return 0;
	return f->_IO_write_ptr - f->_IO_write_base;
}

/* CLOCK_MONOTONIC ns from now. */
static struct timespec after_ns(long long ns)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ns / 1000000000;
	t.tv_nsec += ns % 1000000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

static void sleep_ns(long long ns)
{
	struct timespec t = after_ns(ns);

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

/* --- fork, wait ------------------------------------------------------------------- */

/* Delay runs (MMAPAUDIT_CHILD_DELAY_MS): a child is held back after fork
 * until its parent waits (any wait call), exits or execs -- the moment a
 * correct parent lets its child go -- and child_delay_ns at most.  The
 * parent holds the write end of a pipe per child; the child waits for its
 * end of it to close.  So a parent that reads before it waits reads before
 * its child wrote, however busy the machine, and one that waits loses no
 * time. */
static int held[16];			/* write ends, one per child held */
static int nheld;

static void release_children(void)
{
	for (int i = 0; i < nheld; i++)
		syscall(SYS_close, held[i]);
	nheld = 0;
}

/* In the child: until the parent lets go of fd's pipe, or the delay is over. */
static void held_back(int fd)
{
	struct timespec end = after_ns(child_delay_ns), now;
	struct pollfd pf = { .fd = fd, .events = POLLIN };

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long long left = (end.tv_sec - now.tv_sec) * 1000000000LL + end.tv_nsec - now.tv_nsec;
		struct timespec t = { left / 1000000000, left % 1000000000 };
		if (left <= 0 || ppoll(&pf, 1, &t, NULL) != -1 || errno != EINTR)
			break;
	}
	syscall(SYS_close, fd);
}

static pid_t do_fork(const char *call)
{
	long long pending = stdout_pending();
	int e, hold[2] = { -1, -1 };
	bool inj = inject(K_FORK, &e);
	pid_t pid = -1;

	if (!inj) {
		memory_before_fork();
		if (child_delay_ns > 0 && nheld < 16 &&
		    syscall(SYS_pipe2, hold, O_CLOEXEC) == 0) {
			hold[0] = fd_high(hold[0]);
			hold[1] = fd_high(hold[1]);
		}
		pid = REAL(fork)();
		e = errno;
	}
	if (pid == 0)		/* a new process: its own record numbers */
		rec_new_process();
	if (pid >= 0)
		memory_forked(pid == 0);
	if (logging) {
		struct rec r;
		rec_begin(&r, call, pid, pid == -1 ? e : 0, inj);
		f_dec(&r, pending);
		rec_end(&r);
	}
	if (hold[0] >= 0) {
		if (pid == 0) {
			release_children();	/* its parent's holds are not its own */
			syscall(SYS_close, hold[1]);
			held_back(hold[0]);
		} else {
			syscall(SYS_close, hold[0]);
			if (pid > 0)
				held[nheld++] = hold[1];
			else
				syscall(SYS_close, hold[1]);
		}
	} else if (pid == 0 && child_delay_ns > 0) {
		sleep_ns(child_delay_ns);	/* no pipe to hold it by: the whole delay */
	}
	errno = e;
	return pid;
}

API pid_t fork(void)
{
	return do_fork("fork");
}

/* A vfork child shares its parent's stack; a wrapper that returns in the
 * child would wreck the parent's frame.  fork is a correct vfork. */
API pid_t vfork(void)
{
	return do_fork("vfork");
}

static void rec_wait(const char *call, long long ret, int e, bool inj,
		     long long pid, int options, int status, long long reaped)
{
	struct rec r;

	if (!logging)
		return;
	rec_begin(&r, call, ret, ret == -1 ? e : 0, inj);
	f_dec(&r, pid);
	f_hex(&r, (unsigned)options);
	f_hex(&r, (unsigned)status);
	f_dec(&r, reaped);
	rec_end(&r);
}

static pid_t do_wait(const char *call, pid_t pid, int *status, int options,
		     struct rusage *ru)
{
	int e, st = 0;
	bool inj = inject(K_WAIT, &e);
	pid_t ret = -1;

	release_children();
	if (!inj) {
		ret = REAL(wait4)(pid, status != NULL ? status : &st, options, ru);
		e = errno;
		if (ret > 0 && status != NULL)
			st = *status;
	}
	rec_wait(call, ret, e, inj, pid, options, st, ret > 0 ? ret : 0);
	if (ret > 0)
		memory_after_wait();
	errno = e;
	return ret;
}

API pid_t wait(int *status)
{
	return do_wait("wait", -1, status, 0, NULL);
}

API pid_t waitpid(pid_t pid, int *status, int options)
{
	return do_wait("waitpid", pid, status, options, NULL);
}

API pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return do_wait("wait4", pid, status, options, ru);
}

/* Recorded like waitpid: the id as a pid argument, the status as wait()
 * would give it, and the child reaped (none under WNOWAIT). */
API int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	siginfo_t local = { 0 };
	siginfo_t *si = info != NULL ? info : &local;
	int e, ret = -1, st = 0;
	bool inj = inject(K_WAIT, &e);
	long long reaped = 0;

	release_children();
	if (!inj) {
		ret = REAL(waitid)(idtype, id, si, options);
		e = errno;
	}
	if (ret == 0 && si->si_pid != 0) {
		int s = si->si_status;
		switch (si->si_code) {
		case CLD_EXITED: st = (s & 0xff) << 8; break;
		case CLD_KILLED: st = s & 0x7f; break;
		case CLD_DUMPED: st = (s & 0x7f) | 0x80; break;
		case CLD_STOPPED: case CLD_TRAPPED: st = (s & 0xff) << 8 | 0x7f; break;
		default: st = 0xffff; break;	/* CLD_CONTINUED */
		}
		if (!(options & WNOWAIT) && (si->si_code == CLD_EXITED ||
		    si->si_code == CLD_KILLED || si->si_code == CLD_DUMPED))
			reaped = si->si_pid;
	}
	rec_wait("waitid", ret, e, inj,
		 idtype == P_PID ? (long long)id : idtype == P_PGID ? -(long long)id : -1,
		 options, st, reaped);
	if (reaped > 0)
		memory_after_wait();
	errno = e;
	return ret;
}

/* --- the end of a process ----------------------------------------------------------- */

static void rec_exit(const char *call, int status)
{
	struct rec r;
	int e = errno;

	if (logging) {
		memory_at_exit();
		rec_begin(&r, call, 0, 0, false);
		f_dec(&r, status);
		f_dec(&r, stdout_pending());
		rec_end(&r);
	}
	errno = e;
}

/* exit() itself is recorded by on_end, which also sees exits from inside
 * libc (err(), a return from main); this only tells them apart. */
API void exit(int status)
{
	exit_called = true;
	REAL(exit)(status);
	__builtin_unreachable();
}

API void _exit(int status)
{
	rec_exit("_exit", status);
	REAL(_exit)(status);
	__builtin_unreachable();
}
API void _Exit(int) ALIAS(_exit);

/* Registered with on_exit, which passes the status exit() was given.  It
 * runs after the program's atexit handlers and before stdio is flushed. */
void on_end(int status, void *arg)
{
	(void)arg;
	rec_exit(exit_called ? "exit" : "return", status);
}
