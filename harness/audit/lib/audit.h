/*
 * audit.h: what the audit library's files share (private: never installed,
 * never included by the grader).  The library is preloaded (LD_PRELOAD) into
 * a student's program; README.md in harness/audit/ gives its records.
 *
 *   record.c   building a record, the log descriptor, writing
 *   config.c   MMAPAUDIT_* settings, fault injection, the constructor
 *   files.c    mmap munmap open creat mkstemp ftruncate unlink close
 *   process.c  fork vfork wait waitpid wait4 waitid exit _exit, held children
 *   sleep.c    sleep usleep nanosleep
 *   crash.c    the SIGSEGV and SIGBUS handler
 *   streams.c  fopen fclose remove (stdio calls that open, close, unlink)
 *   memory.c   the memory picture: pagemap and smaps at a child's exit and
 *              after a parent's wait
 *
 * Built with -fvisibility=hidden: only what API marks (the interposed calls)
 * is exported; everything declared here stays inside the library.
 *
 * Rules every wrapper keeps: no stdio, malloc or locale (the program may be
 * inside any of them when it calls us, or in a signal handler); one write()
 * per record, so records of several processes never interleave; errno as
 * the real call left it.  The library's own file operations use raw
 * syscalls, never the wrapped names, so they are neither recorded nor
 * counted for fault injection.
 */
#ifndef MMAPAUDIT_AUDIT_H
#define MMAPAUDIT_AUDIT_H

#include <signal.h>
#include <stdio.h>		/* FILE, for streams.c's real calls */
#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#include "../frames_proto.h"

#define API __attribute__((visibility("default")))
#define ALIAS(name) __attribute__((alias(#name), visibility("default")))

#define FORMAT_VERSION 1
#define REC_MAX 4096		/* one record; fits any record we build */
#define PATH_CUT 512		/* bytes of a path recorded (3x once escaped) */

/* --- the real functions (config.c finds them once, in the constructor, as
 * dlsym may allocate).  A new wrapper adds its function here and to
 * resolve(). */
struct real_calls {
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
	FILE *(*fopen)(const char *, const char *);	/* streams.c */
	int (*fclose)(FILE *);
	int (*remove)(const char *);
};
extern struct real_calls real;
void resolve(void);

/* A wrapper called before the constructor (by another library's) resolves. */
#define REAL(f) (real.f ? real.f : (resolve(), real.f))

/* --- settings (config.c) -------------------------------------------------- */
extern bool logging;			/* MMAPAUDIT_LOG opened at startup */
extern bool sleep_skip;			/* MMAPAUDIT_SLEEP=skip */
extern long long child_delay_ns;	/* MMAPAUDIT_CHILD_DELAY_MS */

/* --- fault injection (config.c) ------------------------------------------- */
/* The kinds MMAPAUDIT_FAIL can name, with the name it uses.  A new kind is
 * one line here; its wrapper calls inject(K_NAME, &err). */
#define INJECT_KINDS(X) \
	X(MMAP, "mmap") \
	X(MUNMAP, "munmap") \
	X(OPEN, "open") \
	X(CLOSE, "close") \
	X(FTRUNCATE, "ftruncate") \
	X(FORK, "fork") \
	X(WAIT, "wait") \
	X(UNLINK, "unlink")

enum kind {
#define KIND_ENUM(id, name) K_##id,
	INJECT_KINDS(KIND_ENUM)
#undef KIND_ENUM
	K_N
};

/* Counts this call of kind k in this process; true (and *err) when it is
 * the one MMAPAUDIT_FAIL says must fail. */
bool inject(enum kind k, int *err);

/* --- records (record.c), async-signal-safe ---------------------------------- */
struct rec {
	size_t n;
	char b[REC_MAX];
};

/* The head (seq pid ppid time call), then ret errno injected. */
void rec_head(struct rec *r, const char *call);
void rec_begin(struct rec *r, const char *call, long long ret, int err, bool injected);
/* Fields, each after one space. */
void f_dec(struct rec *r, long long v);
void f_hex(struct rec *r, unsigned long long v);
void f_oct(struct rec *r, unsigned long long v);
void f_path(struct rec *r, const char *p);
/* Writes the record (one write, or nothing once the log is full). */
void rec_end(struct rec *r);
/* Lower-case hex digits at s into *v (as /proc writes them); past them. */
const char *scan_hex(const char *s, unsigned long long *v);
/* Each line of the file at path (a /proc file: raw syscalls, no malloc; a
 * line cut at PATH_CUT + 127 bytes) to each(), until it returns true. */
void proc_lines(const char *path, bool (*each)(const char *line, void *ctx), void *ctx);

/* --- the log descriptor (record.c) ------------------------------------------ */
/* Opens the log at path (absolute); true if it is open. */
bool log_start(const char *path);
/* The log's size cap in bytes. */
void log_set_cap(long long cap);
long long log_get_cap(void);
/* fd is our descriptor, still open on the log (*st: its fstat). */
bool is_log(int fd, struct stat *st);
/* Moves fd up out of the program's way; returns the new descriptor. */
int fd_high(int fd);
/* In a new child: its records are numbered from 1 again. */
void rec_new_process(void);

/* --- the other files' entry points ------------------------------------------ */
void on_end(int status, void *arg);	/* process.c: on_exit's record */
void crash_handlers(void);		/* crash.c */
/* ret, a return address, lies in this library: the call is its own, not
 * the program's (reads.c; used by the read and page-size wrappers). */
bool from_library(const void *ret);

/* memory.c: what it must know (the mappings made, the forks) and the two
 * moments it records. */
/* MMAPAUDIT_FRAMES (or NULL); MMAPAUDIT_MEMORY=on: memory records. */
void memory_config(const char *frames_socket, bool on);
void memory_mapped(void *addr, size_t len);
void memory_unmapped(void *addr, size_t len);
void memory_before_fork(void);
void memory_forked(bool in_child);
void memory_at_exit(void);		/* before the exit record */
void memory_after_wait(void);		/* after a wait that reaped a child */

#endif
