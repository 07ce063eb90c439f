/*
 * mmapaudit.c: the audit library.  The grader preloads it (LD_PRELOAD) into a
 * student's program only; it records the calls the labs are graded on as one
 * text line each in the file named by MMAPAUDIT_LOG, can make the Nth call of
 * a kind fail (MMAPAUDIT_FAIL), can hold a forked child back and make sleeps
 * return at once (MMAPAUDIT_CHILD_DELAY_MS, MMAPAUDIT_SLEEP=skip), and
 * records a SIGSEGV or SIGBUS with the mapping it hit.  README.md in this
 * folder gives the record format; harness/audit/log.c reads it.
 *
 * Rules every wrapper keeps: no stdio, malloc or locale (the program may be
 * inside any of them when it calls us, or in a signal handler); one write()
 * per record, so records of several processes never interleave; errno as
 * the real call left it.  The library's own file operations use raw
 * syscalls, never the wrapped names, so they are neither recorded nor
 * counted for fault injection.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define API __attribute__((visibility("default")))
#define ALIAS(name) __attribute__((alias(#name), visibility("default")))

#define FORMAT_VERSION 1
#define REC_MAX 4096		/* one record; fits any record we build */
#define PATH_CUT 512		/* bytes of a path recorded (3x once escaped) */
#define LOG_MAX_DEFAULT (8LL << 20)

/* The real functions, found once in the constructor (dlsym may allocate). */
static struct {
	void *(*mmap)(void *, size_t, int, int, int, off_t);
	int (*munmap)(void *, size_t);
	int (*openat)(int, const char *, int, ...);
	int (*mkostemps)(char *, int, int);
	int (*ftruncate)(int, off_t);
	int (*close)(int);
	pid_t (*fork)(void);
	pid_t (*wait4)(pid_t, int *, int, struct rusage *);
	int (*waitid)(idtype_t, id_t, siginfo_t *, int);
	unsigned (*sleep)(unsigned);
	int (*usleep)(useconds_t);
	int (*nanosleep)(const struct timespec *, struct timespec *);
	int (*unlinkat)(int, const char *, int);
	void (*exit)(int);
	void (*_exit)(int);
} real;

static void resolve(void)
{
#define GET(f) (*(void **)&real.f = dlsym(RTLD_NEXT, #f))
	GET(mmap); GET(munmap); GET(openat); GET(mkostemps); GET(ftruncate);
	GET(close); GET(fork); GET(wait4); GET(waitid);
	GET(sleep); GET(usleep); GET(nanosleep); GET(unlinkat); GET(exit);
	GET(_exit);
#undef GET
}

/* A wrapper called before the constructor (by another library's) resolves. */
#define REAL(f) (real.f ? real.f : (resolve(), real.f))

/* --- state ---------------------------------------------------------------- */

static bool logging;			/* MMAPAUDIT_LOG opened at startup */
static int logfd = -1;			/* -1: lost; the next record reopens */
static dev_t log_dev;
static ino_t log_ino;
static char log_path[PATH_MAX];
static long long log_cap = LOG_MAX_DEFAULT;
static bool log_full;
static long seq;			/* records written by this process */
static bool exit_called;		/* the program called exit(), not libc */
static bool sleep_skip;
static long long child_delay_ns;
static char altstack[1 << 16];

/* Fault injection: the Nth call of a kind in this process fails. */
enum kind { K_MMAP, K_MUNMAP, K_OPEN, K_CLOSE, K_FTRUNCATE, K_FORK, K_WAIT, K_UNLINK, K_N };
static const char *const kind_name[K_N] = {
	"mmap", "munmap", "open", "close", "ftruncate", "fork", "wait", "unlink",
};
static struct rule { int kind; unsigned long nth; int err; } rules[16];
static int nrules;
static unsigned long calls[K_N];

/* Counts this call; true (and *err) when it is the one to fail. */
static bool inject(enum kind k, int *err)
{
	unsigned long n = ++calls[k];

	for (int i = 0; i < nrules; i++)
		if (rules[i].kind == (int)k && rules[i].nth == n) {
			*err = rules[i].err;
			return true;
		}
	return false;
}

/* --- building a record, async-signal-safe --------------------------------- */

struct rec {
	size_t n;
	char b[REC_MAX];
};

static void put_c(struct rec *r, char c)
{
	if (r->n < REC_MAX - 1)		/* the last byte is kept for '\n' */
		r->b[r->n++] = c;
}

static void put_s(struct rec *r, const char *s)
{
	while (*s)
		put_c(r, *s++);
}

static void put_u(struct rec *r, unsigned long long v, unsigned base)
{
	char d[24];
	int i = 0;

	do
		d[i++] = "0123456789abcdef"[v % base];
	while ((v /= base) != 0);
	while (i > 0)
		put_c(r, d[--i]);
}

static void f_dec(struct rec *r, long long v)
{
	put_c(r, ' ');
	if (v < 0)
		put_c(r, '-');
	put_u(r, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v, 10);
}

static void f_hex(struct rec *r, unsigned long long v)
{
	put_s(r, " 0x");
	put_u(r, v, 16);
}

static void f_oct(struct rec *r, unsigned long long v)
{
	put_s(r, " 0");
	put_u(r, v, 8);
}

/* A path as one token: "-" for none, %XX for bytes that are not printable
 * ASCII, for '%', and for a lone "-"; "%00" for the empty string. */
static void f_path(struct rec *r, const char *p)
{
	put_c(r, ' ');
	if (p == NULL) {
		put_c(r, '-');
		return;
	}
	if (p[0] == '\0' || (p[0] == '-' && p[1] == '\0')) {
		put_s(r, p[0] == '\0' ? "%00" : "%2d");
		return;
	}
	for (size_t i = 0; p[i] != '\0' && i < PATH_CUT; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c <= ' ' || c >= 0x7f || c == '%') {
			put_c(r, '%');
			put_c(r, "0123456789abcdef"[c >> 4]);
			put_c(r, "0123456789abcdef"[c & 15]);
		} else {
			put_c(r, (char)c);
		}
	}
}

/* seq pid ppid time call: the head of every record. */
static void rec_head(struct rec *r, const char *call)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	r->n = 0;
	put_u(r, (unsigned long long)__atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED), 10);
	f_dec(r, getpid());
	f_dec(r, getppid());
	f_dec(r, ts.tv_sec * 1000000000LL + ts.tv_nsec);
	put_c(r, ' ');
	put_s(r, call);
}

/* The head, then ret errno injected: what every record starts with. */
static void rec_begin(struct rec *r, const char *call, long long ret, int err,
		      bool injected)
{
	rec_head(r, call);
	f_dec(r, ret);
	f_dec(r, err);
	f_dec(r, injected);
}

/* --- the log descriptor ----------------------------------------------------- */

/* Moves fd up out of the program's way; returns the new descriptor. */
static int fd_high(int fd)
{
	struct rlimit rl;
	long top = 1024;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 1024)
		top = (long)rl.rlim_cur;
	for (long want = top >= 1024 ? 1000 : top * 7 / 8; want > fd; want /= 2) {
		int hi = fcntl(fd, F_DUPFD_CLOEXEC, (int)want);
		if (hi >= 0) {
			syscall(SYS_close, fd);
			return hi;
		}
	}
	return fd;
}

static int log_open(void)
{
	struct stat st;
	int fd = (int)syscall(SYS_openat, AT_FDCWD, log_path,
			      O_WRONLY | O_APPEND | O_CLOEXEC);

	logfd = -1;
	if (fd < 0)
		return -1;
	fd = fd_high(fd);
	if (fstat(fd, &st) == -1) {
		syscall(SYS_close, fd);
		return -1;
	}
	log_dev = st.st_dev;
	log_ino = st.st_ino;
	logfd = fd;
	return 0;
}

/* Our descriptor, still open on the log: not merely the number it had (a
 * raw close may have given that number to a file of the program's). */
static bool is_log(int fd, struct stat *st)
{
	return fd >= 0 && fd == logfd && fstat(fd, st) == 0 &&
	       st->st_dev == log_dev && st->st_ino == log_ino;
}

/* Writes the record.  The descriptor is checked first: a program can close
 * it with a raw syscall, or dup2 something else onto it; then the log is
 * reopened on a new descriptor and the program keeps what it put there. */
static void rec_end(struct rec *r)
{
	struct stat st;

	if (!logging)
		return;
	if (!is_log(logfd, &st) && (log_open() == -1 || fstat(logfd, &st) == -1))
		return;
	r->b[r->n++] = '\n';
	if (st.st_size + (off_t)r->n > log_cap) {
		/* One "full" record per process, then silence: the grader
		 * learns the log is incomplete, and RLIMIT_FSIZE is never hit. */
		if (!log_full) {
			log_full = true;
			rec_begin(r, "full", 0, 0, false);
			r->b[r->n++] = '\n';
			(void)!write(logfd, r->b, r->n);
		}
		return;
	}
	(void)!write(logfd, r->b, r->n);
}

/* --- helpers for the wrappers --------------------------------------------- */

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

/* The program's path if it can be read without faulting: after a real call,
 * anything but EFAULT proves the kernel read it; otherwise ask the kernel. */
static const char *readable(const char *p, bool performed, int ret, int err)
{
	if (performed)
		return ret == -1 && err == EFAULT ? NULL : p;
	if (syscall(SYS_faccessat, AT_FDCWD, p, F_OK) == -1 && errno == EFAULT)
		return NULL;
	return p;
}

/* The file an open descriptor refers to, as /proc shows it. */
static const char *fd_path(int fd, char *buf, size_t size)
{
	char link[32] = "/proc/self/fd/", digits[12];
	size_t n = strlen(link), i = 0;
	ssize_t len;

	do
		digits[i++] = (char)('0' + fd % 10);
	while ((fd /= 10) > 0);
	while (i > 0)
		link[n++] = digits[--i];
	link[n] = '\0';
	len = readlink(link, buf, size - 1);
	if (len < 0)
		return NULL;
	buf[len] = '\0';
	return buf;
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

/* --- mmap, munmap ------------------------------------------------------------ */

API void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	int e;
	bool inj = inject(K_MMAP, &e);
	void *p = MAP_FAILED;

	if (!inj) {
		p = REAL(mmap)(addr, len, prot, flags, fd, off);
		e = errno;
	}
	if (logging) {
		struct rec r;
		struct stat st;
		char path[PATH_CUT + 1];
		bool file = !(flags & MAP_ANONYMOUS) && fd >= 0 && fstat(fd, &st) == 0;

		rec_head(&r, "mmap");
		if (p == MAP_FAILED)
			f_dec(&r, -1);
		else	/* an address reads better in hex */
			f_hex(&r, (uintptr_t)p);
		f_dec(&r, p == MAP_FAILED ? e : 0);
		f_dec(&r, inj);
		f_hex(&r, (uintptr_t)addr);
		f_dec(&r, (long long)len);
		f_hex(&r, (unsigned)prot);
		f_hex(&r, (unsigned)flags);
		f_dec(&r, fd);
		f_dec(&r, off);
		f_dec(&r, file ? st.st_size : -1);
		f_oct(&r, file ? st.st_mode : 0);
		f_path(&r, file ? fd_path(fd, path, sizeof path) : NULL);
		rec_end(&r);
	}
	errno = e;
	return p;
}
API void *mmap64(void *, size_t, int, int, int, off_t) ALIAS(mmap);

API int munmap(void *addr, size_t len)
{
	int e, ret = -1;
	bool inj = inject(K_MUNMAP, &e);

	if (!inj) {
		ret = REAL(munmap)(addr, len);
		e = errno;
	}
	if (logging) {
		struct rec r;
		rec_begin(&r, "munmap", ret, ret == -1 ? e : 0, inj);
		f_hex(&r, (uintptr_t)addr);
		f_dec(&r, (long long)len);
		rec_end(&r);
	}
	errno = e;
	return ret;
}

/* --- open, creat, mkstemp ------------------------------------------------------ */

static void rec_open(const char *call, int ret, int e, bool inj, int dirfd,
		     const char *path, int flags, mode_t mode)
{
	struct rec r;

	if (!logging)
		return;
	rec_begin(&r, call, ret, ret == -1 ? e : 0, inj);
	f_dec(&r, dirfd);
	f_path(&r, readable(path, !inj, ret, e));
	f_hex(&r, (unsigned)flags);
	f_oct(&r, mode);
	rec_end(&r);
}

static int do_open(const char *call, int dirfd, const char *path, int flags,
		   mode_t mode)
{
	int e, ret = -1;
	bool inj = inject(K_OPEN, &e);

	if (!inj) {
		ret = REAL(openat)(dirfd, path, flags, mode);
		e = errno;
	}
	rec_open(call, ret, e, inj, dirfd, path, flags, mode);
	errno = e;
	return ret;
}

/* The mode argument is there only when the flags ask for one. */
#define MODE_ARG(flags, last) ({ \
	mode_t m_ = 0; \
	if (__OPEN_NEEDS_MODE(flags)) { \
		va_list ap; \
		va_start(ap, last); \
		m_ = va_arg(ap, mode_t); \
		va_end(ap); \
	} \
	m_; })

API int open(const char *path, int flags, ...)
{
	return do_open("open", AT_FDCWD, path, flags, MODE_ARG(flags, flags));
}
API int open64(const char *, int, ...) ALIAS(open);

API int openat(int dirfd, const char *path, int flags, ...)
{
	return do_open("openat", dirfd, path, flags, MODE_ARG(flags, flags));
}
API int openat64(int, const char *, int, ...) ALIAS(openat);

API int creat(const char *path, mode_t mode)
{
	return do_open("creat", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
API int creat64(const char *, mode_t) ALIAS(creat);

/* What -D_FORTIFY_SOURCE turns open() without a mode into. */
API int __open_2(const char *path, int flags)
{
	return do_open("open", AT_FDCWD, path, flags, 0);
}
API int __open64_2(const char *, int) ALIAS(__open_2);

API int __openat_2(int dirfd, const char *path, int flags)
{
	return do_open("openat", dirfd, path, flags, 0);
}
API int __openat64_2(int, const char *, int) ALIAS(__openat_2);

/* libc's mkstemp opens the file internally, out of our reach: wrap it whole.
 * It counts as an open for fault injection. */
API int mkostemps(char *tmpl, int suffixlen, int flags)
{
	int e, ret = -1;
	bool inj = inject(K_OPEN, &e);

	if (!inj) {
		ret = REAL(mkostemps)(tmpl, suffixlen, flags);
		e = errno;
	}
	rec_open("mkstemp", ret, e, inj, AT_FDCWD, tmpl,
		 (flags & ~O_ACCMODE) | O_RDWR | O_CREAT | O_EXCL, 0600);
	errno = e;
	return ret;
}
API int mkostemps64(char *, int, int) ALIAS(mkostemps);

API int mkstemp(char *tmpl)
{
	return mkostemps(tmpl, 0, 0);
}
API int mkstemp64(char *) ALIAS(mkstemp);

API int mkostemp(char *tmpl, int flags)
{
	return mkostemps(tmpl, 0, flags);
}
API int mkostemp64(char *, int) ALIAS(mkostemp);

API int mkstemps(char *tmpl, int suffixlen)
{
	return mkostemps(tmpl, suffixlen, 0);
}
API int mkstemps64(char *, int) ALIAS(mkstemps);

/* --- ftruncate, unlink --------------------------------------------------------- */

API int ftruncate(int fd, off_t length)
{
	int e, ret = -1;
	bool inj = inject(K_FTRUNCATE, &e);

	if (!inj) {
		ret = REAL(ftruncate)(fd, length);
		e = errno;
	}
	if (logging) {
		struct rec r;
		rec_begin(&r, "ftruncate", ret, ret == -1 ? e : 0, inj);
		f_dec(&r, fd);
		f_dec(&r, length);
		rec_end(&r);
	}
	errno = e;
	return ret;
}
API int ftruncate64(int, off_t) ALIAS(ftruncate);

static int do_unlink(const char *call, int dirfd, const char *path, int flags)
{
	int e, ret = -1;
	bool inj = inject(K_UNLINK, &e);

	if (!inj) {
		ret = REAL(unlinkat)(dirfd, path, flags);
		e = errno;
	}
	if (logging) {
		struct rec r;
		rec_begin(&r, call, ret, ret == -1 ? e : 0, inj);
		f_dec(&r, dirfd);
		f_path(&r, readable(path, !inj, ret, e));
		f_hex(&r, (unsigned)flags);
		rec_end(&r);
	}
	errno = e;
	return ret;
}

API int unlink(const char *path)
{
	return do_unlink("unlink", AT_FDCWD, path, 0);
}

API int unlinkat(int dirfd, const char *path, int flags)
{
	return do_unlink("unlinkat", dirfd, path, flags);
}

/* --- close: the log descriptor is not the program's ----------------------------- */
/* close_range, closefrom, dup2 and dup3 over it, or a raw close, need no
 * wrapper: rec_end notices, and the next record reopens the log. */

/* close() of the log descriptor fails with EBADF, as it would without the
 * library (the program never opened that number). */
API int close(int fd)
{
	int e, ret = -1;
	bool inj = inject(K_CLOSE, &e);
	struct stat st;

	if (!inj) {
		if (is_log(fd, &st)) {
			e = EBADF;
		} else {
			ret = REAL(close)(fd);
			e = errno;
		}
	}
	if (logging) {
		struct rec r;
		rec_begin(&r, "close", ret, ret == -1 ? e : 0, inj);
		f_dec(&r, fd);
		rec_end(&r);
	}
	errno = e;
	return ret;
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
		if (child_delay_ns > 0 && nheld < 16 &&
		    syscall(SYS_pipe2, hold, O_CLOEXEC) == 0) {
			hold[0] = fd_high(hold[0]);
			hold[1] = fd_high(hold[1]);
		}
		pid = REAL(fork)();
		e = errno;
	}
	if (pid == 0)		/* a new process: its own record numbers */
		seq = 0;
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
	errno = e;
	return ret;
}

/* --- sleep ----------------------------------------------------------------------------- */

static void rec_sleep(const char *call, long long ret, int e, bool skipped, long long ns)
{
	struct rec r;

	if (!logging)
		return;
	rec_begin(&r, call, ret, ret == -1 ? e : 0, skipped);
	f_dec(&r, ns);
	rec_end(&r);
}

API unsigned sleep(unsigned seconds)
{
	int e = errno;
	unsigned ret = 0;

	if (!sleep_skip) {
		ret = REAL(sleep)(seconds);
		e = errno;
	}
	rec_sleep("sleep", ret, e, sleep_skip, seconds * 1000000000LL);
	errno = e;
	return ret;
}

API int usleep(useconds_t usec)
{
	int e = errno, ret = 0;

	if (!sleep_skip) {
		ret = REAL(usleep)(usec);
		e = errno;
	}
	rec_sleep("usleep", ret, e, sleep_skip, usec * 1000LL);
	errno = e;
	return ret;
}

API int nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct timespec t;
	struct iovec mine = { &t, sizeof t }, theirs = { (void *)req, sizeof t };
	/* req may be a bad pointer: copy it the way the kernel would. */
	bool known = req != NULL &&
		     process_vm_readv(getpid(), &mine, 1, &theirs, 1, 0) == (ssize_t)sizeof t;
	bool skip = sleep_skip && known && t.tv_sec >= 0 &&
		    t.tv_nsec >= 0 && t.tv_nsec < 1000000000;
	int e = errno, ret = 0;

	if (!skip) {
		ret = REAL(nanosleep)(req, rem);
		e = errno;
	}
	rec_sleep("nanosleep", ret, e, skip,
		  known ? t.tv_sec * 1000000000LL + t.tv_nsec : -1);
	errno = e;
	return ret;
}

/* --- the end of a process ----------------------------------------------------------- */

static void rec_exit(const char *call, int status)
{
	struct rec r;
	int e = errno;

	if (logging) {
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
static void on_end(int status, void *arg)
{
	(void)arg;
	rec_exit(exit_called ? "exit" : "return", status);
}

/* --- SIGSEGV and SIGBUS ------------------------------------------------------------- */

struct mapinfo {
	unsigned long long start, end, off;
	int prot, flags;
	char path[PATH_CUT + 1];
};

static const char *scan_hex(const char *s, unsigned long long *v)
{
	int d;

	*v = 0;
	for (; (d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ?
		    *s - 'a' + 10 : -1) >= 0; s++)
		*v = *v * 16 + (unsigned)d;
	return s;
}

/* One line of /proc/self/maps: "start-end rwxp offset dev inode   path". */
static bool maps_line(const char *s, unsigned long long addr, struct mapinfo *m)
{
	s = scan_hex(s, &m->start);
	if (*s++ != '-')
		return false;
	s = scan_hex(s, &m->end);
	if (addr < m->start || addr >= m->end || strlen(s) < 6)
		return false;
	m->prot = (s[1] == 'r' ? PROT_READ : 0) | (s[2] == 'w' ? PROT_WRITE : 0) |
		  (s[3] == 'x' ? PROT_EXEC : 0);
	m->flags = s[4] == 's' ? MAP_SHARED : MAP_PRIVATE;
	s = scan_hex(s + 6, &m->off);
	for (int field = 0; field < 2; field++) {	/* dev, inode */
		while (*s == ' ')
			s++;
		while (*s != ' ' && *s != '\0')
			s++;
	}
	while (*s == ' ')
		s++;
	size_t i;
	for (i = 0; s[i] != '\0' && i < PATH_CUT; i++)
		m->path[i] = s[i];
	m->path[i] = '\0';
	return true;
}

/* The mapping that holds addr now, as the kernel sees it. */
static bool maps_find(unsigned long long addr, struct mapinfo *m)
{
	char buf[2048], line[PATH_CUT + 128];
	size_t len = 0;
	ssize_t n;
	bool found = false;
	int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	while (!found && (n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n && !found; i++) {
			if (buf[i] != '\n') {
				if (len < sizeof line - 1)
					line[len++] = buf[i];
				continue;
			}
			line[len] = '\0';
			len = 0;
			found = maps_line(line, addr, m);
		}
	syscall(SYS_close, fd);
	return found;
}

/* Records the crash, then lets the signal kill the process as it would have:
 * the handler was reset to SIG_DFL on entry (SA_RESETHAND), and the signal
 * raised here is delivered when the handler returns. */
static void on_crash(int sig, siginfo_t *si, void *ucv)
{
	int e = errno;
	unsigned long long addr = (uintptr_t)si->si_addr, ip = 0;
	long long pferr = -1, size = -1;
	struct mapinfo m = { 0 };
	struct stat st;
	struct rec r;

#if defined(__x86_64__)
	const ucontext_t *uc = ucv;
	ip = (unsigned long long)uc->uc_mcontext.gregs[REG_RIP];
	pferr = uc->uc_mcontext.gregs[REG_ERR];	/* bit 1: the access was a write */
#else
	(void)ucv;
#endif
	bool found = maps_find(addr, &m);
	if (!found)
		memset(&m, 0, sizeof m);
	size_t plen = strlen(m.path);
	if (found && m.path[0] == '/' &&
	    !(plen > 10 && strcmp(m.path + plen - 10, " (deleted)") == 0) &&
	    stat(m.path, &st) == 0 && S_ISREG(st.st_mode))
		size = st.st_size;

	rec_begin(&r, "crash", 0, 0, false);
	f_dec(&r, sig);
	f_dec(&r, si->si_code);
	f_hex(&r, addr);
	f_hex(&r, ip);
	f_dec(&r, pferr);
	f_hex(&r, m.start);
	f_hex(&r, m.end);
	f_hex(&r, (unsigned)m.prot);
	f_hex(&r, (unsigned)m.flags);
	f_dec(&r, (long long)m.off);
	f_dec(&r, size);
	f_path(&r, m.path[0] != '\0' ? m.path : NULL);
	rec_end(&r);
	raise(sig);
	errno = e;
}

static void crash_handlers(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
	struct sigaction sa = { .sa_sigaction = on_crash,
				.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND };
	static const int sigs[] = { SIGSEGV, SIGBUS };

	sigaltstack(&ss, NULL);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;
		/* A disposition the grader set (ignored, say) is left alone. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(sigs[i], &sa, NULL);
	}
}

/* --- configuration ---------------------------------------------------------------- */

static void config_error(const char *var, const char *value, size_t len)
{
	struct rec r;
	char text[PATH_CUT + 1];
	size_t n = 0;

	if (!logging)
		return;
	for (const char *s = var; *s && n < PATH_CUT; s++)
		text[n++] = *s;
	if (n < PATH_CUT)
		text[n++] = '=';
	for (size_t i = 0; i < len && value[i] != '\0' && n < PATH_CUT; i++)
		text[n++] = value[i];
	text[n] = '\0';
	rec_begin(&r, "config", -1, EINVAL, false);
	f_path(&r, text);
	rec_end(&r);
}

/* Digits only, at most 18 of them: the value, or -1. */
static long long number(const char *s, size_t len)
{
	long long v = 0;

	if (len == 0 || len > 18)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int errno_value(const char *s, size_t len)
{
	static const struct { const char *name; int value; } names[] = {
		{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR },
		{ "EIO", EIO }, { "EBADF", EBADF }, { "ECHILD", ECHILD },
		{ "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM }, { "EACCES", EACCES },
		{ "EFAULT", EFAULT }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
		{ "ENODEV", ENODEV }, { "ENOTDIR", ENOTDIR }, { "EISDIR", EISDIR },
		{ "EINVAL", EINVAL }, { "ENFILE", ENFILE }, { "EMFILE", EMFILE },
		{ "ETXTBSY", ETXTBSY }, { "EFBIG", EFBIG }, { "ENOSPC", ENOSPC },
		{ "EROFS", EROFS }, { "ENAMETOOLONG", ENAMETOOLONG },
		{ "EOVERFLOW", EOVERFLOW }, { "EDQUOT", EDQUOT }, { "ELOOP", ELOOP },
	};
	long long v = number(s, len);

	if (v > 0 && v < 4096)
		return (int)v;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == len && memcmp(names[i].name, s, len) == 0)
			return names[i].value;
	return -1;
}

/* One "CALL:N:ERRNO" rule of MMAPAUDIT_FAIL. */
static bool fail_rule(const char *s, size_t len)
{
	const char *c1 = memchr(s, ':', len);
	const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - s)) : NULL;
	struct rule rule = { .kind = -1 };

	if (c2 == NULL || nrules == (int)(sizeof rules / sizeof rules[0]))
		return false;
	for (int k = 0; k < K_N; k++)
		if (strlen(kind_name[k]) == (size_t)(c1 - s) &&
		    memcmp(kind_name[k], s, (size_t)(c1 - s)) == 0)
			rule.kind = k;
	long long nth = number(c1 + 1, (size_t)(c2 - c1 - 1));
	rule.err = errno_value(c2 + 1, len - (size_t)(c2 + 1 - s));
	if (rule.kind < 0 || nth < 1 || rule.err < 0)
		return false;
	rule.nth = (unsigned long)nth;
	rules[nrules++] = rule;
	return true;
}

static void configure(void)
{
	const char *v;

	if ((v = getenv("MMAPAUDIT_FAIL")) != NULL)
		for (const char *s = v; *s != '\0';) {
			const char *comma = strchr(s, ',');
			size_t len = comma ? (size_t)(comma - s) : strlen(s);
			if (!fail_rule(s, len))
				config_error("MMAPAUDIT_FAIL", s, len);
			s += len + (comma != NULL);
		}
	if ((v = getenv("MMAPAUDIT_CHILD_DELAY_MS")) != NULL) {
		long long ms = number(v, strlen(v));
		if (ms < 0 || ms > 600000)
			config_error("MMAPAUDIT_CHILD_DELAY_MS", v, strlen(v));
		else
			child_delay_ns = ms * 1000000;
	}
	if ((v = getenv("MMAPAUDIT_SLEEP")) != NULL) {
		if (strcmp(v, "skip") == 0)
			sleep_skip = true;
		else if (v[0] != '\0')
			config_error("MMAPAUDIT_SLEEP", v, strlen(v));
	}
}

/* The log's size cap: MMAPAUDIT_LOG_MAX, and never more than half of
 * RLIMIT_FSIZE, so that our records can never cost the program SIGXFSZ. */
static void log_limit(void)
{
	const char *v = getenv("MMAPAUDIT_LOG_MAX");
	struct rlimit rl;

	if (v != NULL) {
		long long max = number(v, strlen(v));
		if (max < 0)
			config_error("MMAPAUDIT_LOG_MAX", v, strlen(v));
		else
			log_cap = max;
	}
	if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (long long)(rl.rlim_cur / 2) < log_cap)
		log_cap = (long long)(rl.rlim_cur / 2);
}

/* glibc passes main's arguments to the constructors of shared objects. */
__attribute__((constructor)) static void audit_init(int argc, char **argv, char **envp)
{
	int e = errno;
	const char *path = getenv("MMAPAUDIT_LOG");
	char exe[PATH_CUT + 1];
	ssize_t n;

	(void)envp;
	resolve();
	if (path != NULL && path[0] == '/' && strlen(path) < sizeof log_path) {
		strcpy(log_path, path);
		logging = log_open() == 0;
	}
	if (logging) {
		struct rec r;
		n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		exe[n < 0 ? 0 : n] = '\0';
		rec_begin(&r, "start", 0, 0, false);
		f_dec(&r, FORMAT_VERSION);
		f_dec(&r, argc);
		f_path(&r, n < 0 ? NULL : exe);
		f_path(&r, argc > 0 && argv != NULL ? argv[0] : NULL);
		rec_end(&r);
		log_limit();
		crash_handlers();
		on_exit(on_end, NULL);
	}
	configure();
	errno = e;
}
