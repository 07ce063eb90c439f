/*
 * record.c: the audit library's records and its log (audit.h): building a
 * record by hand (no stdio, async-signal-safe), the log descriptor kept
 * high and out of the program's way, and the one write() per record.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "audit.h"

#define LOG_MAX_DEFAULT (8LL << 20)

static int logfd = -1;			/* -1: lost; the next record reopens */
static dev_t log_dev;
static ino_t log_ino;
static char log_path[PATH_MAX];
static long long log_cap = LOG_MAX_DEFAULT;
static bool log_full;
static long seq;			/* records written by this process */

/* --- building a record ------------------------------------------------------ */

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

void f_dec(struct rec *r, long long v)
{
	put_c(r, ' ');
	if (v < 0)
		put_c(r, '-');
	put_u(r, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v, 10);
}

void f_hex(struct rec *r, unsigned long long v)
{
	put_s(r, " 0x");
	put_u(r, v, 16);
}

void f_oct(struct rec *r, unsigned long long v)
{
	put_s(r, " 0");
	put_u(r, v, 8);
}

/* A path as one token: "-" for none, %XX for bytes that are not printable
 * ASCII, for '%', and for a lone "-"; "%00" for the empty string. */
void f_path(struct rec *r, const char *p)
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
void rec_head(struct rec *r, const char *call)
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
void rec_begin(struct rec *r, const char *call, long long ret, int err, bool injected)
{
	rec_head(r, call);
	f_dec(r, ret);
	f_dec(r, err);
	f_dec(r, injected);
}

void rec_new_process(void)
{
	seq = 0;
}

/* --- reading the kernel's files ---------------------------------------------- */

const char *scan_hex(const char *s, unsigned long long *v)
{
	int d;

	*v = 0;
	for (; (d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ?
		    *s - 'a' + 10 : -1) >= 0; s++)
		*v = *v * 16 + (unsigned)d;
	return s;
}

void proc_lines(const char *path, bool (*each)(const char *line, void *ctx), void *ctx)
{
	char buf[2048], line[PATH_CUT + 128];
	size_t len = 0;
	ssize_t n;
	bool done = false;
	int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	while (!done && (n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n && !done; i++) {
			if (buf[i] != '\n') {
				if (len < sizeof line - 1)
					line[len++] = buf[i];
				continue;
			}
			line[len] = '\0';
			len = 0;
			done = each(line, ctx);
		}
	syscall(SYS_close, fd);
}

/* --- the log descriptor ------------------------------------------------------- */

int fd_high(int fd)
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

bool log_start(const char *path)
{
	if (path == NULL || path[0] != '/' || strlen(path) >= sizeof log_path)
		return false;
	strcpy(log_path, path);
	return log_open() == 0;
}

void log_set_cap(long long cap)
{
	log_cap = cap;
}

long long log_get_cap(void)
{
	return log_cap;
}

/* Our descriptor, still open on the log: not merely the number it had (a
 * raw close may have given that number to a file of the program's). */
bool is_log(int fd, struct stat *st)
{
	return fd >= 0 && fd == logfd && fstat(fd, st) == 0 &&
	       st->st_dev == log_dev && st->st_ino == log_ino;
}

/* Writes the record.  The descriptor is checked first: a program can close
 * it with a raw syscall, or dup2 something else onto it; then the log is
 * reopened on a new descriptor and the program keeps what it put there. */
void rec_end(struct rec *r)
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
