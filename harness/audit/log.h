/*
 * log.h: read the log the audit library (harness/audit/, preloaded into
 * a student's program) writes, and answer the grader's questions about it:
 * which mappings a process had, which mapping an address fell in, which
 * children were forked and waited for, and what a SIGBUS or SIGSEGV hit.
 *
 * The log is written by the program under test, so nothing in it is
 * trusted: loading never fails on garbage (bad lines are counted and
 * skipped) and every size is bounded.  The record format, field by field,
 * is in harness/audit/README.md.
 */
#ifndef AUDIT_LOG_H
#define AUDIT_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum audit_call {
	AUDIT_START,		/* start: the process image began (exec) */
	AUDIT_OPEN,		/* open openat creat mkstemp */
	AUDIT_CLOSE,
	AUDIT_FTRUNCATE,
	AUDIT_MMAP,
	AUDIT_MUNMAP,
	AUDIT_FORK,		/* fork vfork; the child writes one with ret 0 */
	AUDIT_WAIT,		/* wait waitpid wait4 waitid */
	AUDIT_SLEEP,		/* sleep usleep nanosleep */
	AUDIT_UNLINK,		/* unlink unlinkat */
	AUDIT_EXIT,		/* exit _exit, or "return" (main returned) */
	AUDIT_CRASH,		/* SIGSEGV or SIGBUS */
	AUDIT_FULL,		/* the log reached its size cap: records stop */
	AUDIT_CONFIG,		/* a bad MMAPAUDIT_* variable */
	AUDIT_READ,		/* read pread readv preadv: the first on each descriptor */
	AUDIT_READS,		/* at exit: every read call's count, in sum */
	AUDIT_PAGESIZE,		/* sysconf(_SC_PAGESIZE) getpagesize: the program asked */
	AUDIT_MEMORY,		/* a mapping's pages at a moment (audit/memory.h) */
	AUDIT_ANY,		/* audit_next(): any call */
};

/* Where each call's numeric fields sit in audit_rec.arg[]. */
enum { AUDIT_START_VERSION, AUDIT_START_ARGC };	/* path: exe, path2: argv[0] */
enum { AUDIT_OPEN_DIRFD, AUDIT_OPEN_FLAGS, AUDIT_OPEN_MODE };	/* path */
enum { AUDIT_CLOSE_FD };
enum { AUDIT_FTRUNCATE_FD, AUDIT_FTRUNCATE_LENGTH };
enum {				/* ret: the address; path: the file */
	AUDIT_MMAP_ADDR, AUDIT_MMAP_LENGTH, AUDIT_MMAP_PROT, AUDIT_MMAP_FLAGS,
	AUDIT_MMAP_FD, AUDIT_MMAP_OFFSET,
	AUDIT_MMAP_FSIZE,	/* the file's size at mmap time; -1: anonymous */
	AUDIT_MMAP_FMODE,	/* its st_mode (S_ISREG...); 0: anonymous */
};
enum { AUDIT_MUNMAP_ADDR, AUDIT_MUNMAP_LENGTH };
enum { AUDIT_FORK_PENDING };	/* bytes left in stdout's buffer at fork */
enum { AUDIT_WAIT_PID, AUDIT_WAIT_OPTIONS, AUDIT_WAIT_STATUS, AUDIT_WAIT_REAPED };
enum { AUDIT_SLEEP_NS };	/* injected: the sleep was skipped */
enum { AUDIT_UNLINK_DIRFD, AUDIT_UNLINK_FLAGS };	/* path */
enum { AUDIT_EXIT_STATUS, AUDIT_EXIT_PENDING };	/* status -1: "return" */
enum {				/* ret: bytes read (the first call on the descriptor) */
	AUDIT_READ_FD, AUDIT_READ_COUNT,
	AUDIT_READ_OFFSET,	/* pread, preadv; -1: read, readv */
	AUDIT_READ_FSIZE, AUDIT_READ_FMODE,	/* of what fd refers to; -1 00: unknown */
};
enum { AUDIT_READS_CALLS, AUDIT_READS_BYTES, AUDIT_READS_MAXCOUNT };
/* pagesize: ret the answer given; injected: it was MMAPAUDIT_PAGESIZE's */
enum {				/* path: the mapped file, as /proc/self/maps named it */
	AUDIT_CRASH_SIG, AUDIT_CRASH_CODE, AUDIT_CRASH_ADDR, AUDIT_CRASH_IP,
	AUDIT_CRASH_PFERR,	/* x86 page-fault error code, bit 1 = write; -1 */
	AUDIT_CRASH_MSTART, AUDIT_CRASH_MEND,	/* the kernel's mapping; 0 0: none */
	AUDIT_CRASH_MPROT, AUDIT_CRASH_MFLAGS, AUDIT_CRASH_MOFF,
	AUDIT_CRASH_MSIZE,	/* the file's size at the crash; -1: unknown */
};

enum {				/* path: the moment, "child-exit" or "parent-wait" */
	AUDIT_MEMORY_ADDR, AUDIT_MEMORY_LENGTH,
	AUDIT_MEMORY_KFLAGS,	/* MAP_SHARED or MAP_PRIVATE, as smaps has the area */
	AUDIT_MEMORY_RSS, AUDIT_MEMORY_PRIVATE_DIRTY, AUDIT_MEMORY_SHARED_DIRTY,	/* kB */
	AUDIT_MEMORY_NPAGES,	/* pagemap entries that follow: 1..8 */
	AUDIT_MEMORY_PAGEMAP,	/* the first of 8 entries (bit 63 present, 61 file or
				 * shared, 56 exclusive, 0-54 the frame: 0 unprivileged) */
};

#define AUDIT_MAX_ARGS 16

struct audit_rec {
	long seq;		/* record number within its process image */
	int pid, ppid;
	int64_t t_ns;		/* CLOCK_MONOTONIC */
	enum audit_call call;
	char fn[16];		/* the function called: "openat", "vfork", "_exit" */
	int64_t ret;		/* mmap: the address, or -1 */
	int err;		/* errno when the call failed, else 0 */
	bool injected;		/* failed (or sleep skipped) by MMAPAUDIT_* */
	int nargs;
	int64_t arg[AUDIT_MAX_ARGS];
	char *path, *path2;	/* decoded; NULL when absent */
	bool root_read;		/* memory: its pagemap entries are the frame reader's
				 * (audit/frames.h), not the program's */
};

struct audit_log {
	struct audit_rec *rec;	/* in file order, which is time order */
	size_t n;
	size_t bad;		/* lines that are not records (garbage, forged) */
	bool full;		/* a process hit the size cap: records are missing */
	bool cut;		/* too big to read whole, or a line was torn */
	bool frames;		/* the frame reader ran (audit/frames.h) */
};

/* Loads FILE.  -1 (errno set) when it cannot be read, or is not a regular
 * file (a FIFO or symbolic link put in its place); 0 otherwise, with
 * log->n == 0 if nothing in it is a record (a static binary writes none).
 * Exits through die() if memory runs out, like the rest of the grader. */
int audit_log_load(const char *file, struct audit_log *log);
void audit_log_free(struct audit_log *log);

/* The next record at index >= *pos for pid (0: any) and call (AUDIT_ANY:
 * any); *pos moves past it.  NULL when there is none. */
const struct audit_rec *audit_next(const struct audit_log *log, size_t *pos,
				   int pid, enum audit_call call);

/* The pid of the first start record (the program the grader ran), or 0. */
int audit_main_pid(const struct audit_log *log);

/* --- the mappings of a process ---------------------------------------------- */

#define AUDIT_MAX_MAPS 256

struct audit_map {
	uint64_t start, end;		/* page-rounded */
	const struct audit_rec *mmap;	/* the call that made it */
	const struct audit_rec *gone;	/* the munmap (or mmap over it) that
					 * removed it; NULL while mapped */
};

struct audit_maps {
	struct audit_map map[AUDIT_MAX_MAPS];
	size_t n;
	bool overflow;			/* more than fit: some are missing */
};

/* The mappings pid had just before record index upto (log->n: at the end),
 * including those inherited across fork from its parents; exec starts
 * afresh.  Removed ranges are kept, marked gone. */
void audit_maps_at(const struct audit_log *log, int pid, size_t upto,
		   struct audit_maps *maps);

/* The live mapping holding addr, else the latest removed one, else NULL. */
const struct audit_map *audit_maps_find(const struct audit_maps *maps, uint64_t addr);

/* --- children ---------------------------------------------------------------- */

struct audit_child {
	int pid;
	const struct audit_rec *fork;	/* the parent's fork record */
	const struct audit_rec *wait;	/* the parent's wait that reaped it, or NULL */
	const struct audit_rec *end;	/* the child's last exit or crash record, or NULL */
};

/* The children pid forked (successfully); fills at most max, returns how
 * many there are. */
size_t audit_children(const struct audit_log *log, int pid,
		      struct audit_child *out, size_t max);

/* --- crashes ------------------------------------------------------------------ */

enum audit_fault {
	AUDIT_FAULT_UNKNOWN,	/* nothing in the log explains it */
	AUDIT_FAULT_PAST_EOF,	/* SIGBUS: a page of the mapping past the file's end */
	AUDIT_FAULT_READ_ONLY,	/* a write to a mapping without PROT_WRITE */
	AUDIT_FAULT_PROT,	/* another access the mapping's prot forbids */
	AUDIT_FAULT_MAP_FAILED,	/* near (void *)-1 after an mmap failed */
	AUDIT_FAULT_UNMAPPED,	/* in a mapping after it was unmapped */
	AUDIT_FAULT_NULL,	/* near address 0 */
};

struct audit_fault_info {
	enum audit_fault kind;
	const struct audit_rec *crash;
	const struct audit_rec *mmap;	/* the mapping hit, or the mmap that failed */
	const struct audit_rec *munmap;	/* UNMAPPED: what removed it */
	uint64_t offset;		/* of the address from the mapping's start */
	int64_t file_offset;		/* file mappings: where in the file; else -1 */
	int64_t file_size;		/* the file's size (at the crash if known); -1 */
};

/* Explains the crash record crash (a record of log). */
void audit_fault_explain(const struct audit_log *log, const struct audit_rec *crash,
			 struct audit_fault_info *info);

/* One line for a report: "SIGBUS at byte 4101 of the 8192-byte mapping of
 * data (MAP_SHARED, PROT_READ|PROT_WRITE): the file is 1 bytes long...". */
const char *audit_fault_describe(const struct audit_fault_info *info, char *buf,
				 size_t size);

#endif
