/*
 * sandbox.h: what keeps a student's program from hurting the grader, the
 * machine or another student, beyond the run layer's rlimits.
 *
 * The POSIX layer is always on.  Run as root, each grading process reserves
 * an unprivileged uid of its own (a lock file per uid, so two jobs never share
 * one); programs run as that uid with no supplementary groups and no new
 * privileges, in a private mount namespace where the submissions and the
 * grader's own material are hidden; afterwards every process of the uid is
 * killed and its /dev/shm files, SysV IPC objects and temporary files go.
 * Run as an ordinary user, by default, the namespace layer (userns.h): a
 * user namespace made once per grading, with no network and a read-only
 * root of the system's folders only, and per run a pid, mount and IPC
 * namespace of its own.  Where the kernel refuses user namespaces, only
 * what needs no privilege applies (posix), and the description says so.
 *
 * The bubblewrap layer (--sandbox bwrap) adds no network, a read-only
 * system, private /tmp and /dev/shm and a pid namespace, entered after the
 * uid drop, by an exec of bwrap per run.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* The order of sandbox_parse's names; DEFAULT is posix as root, else auto
 * (preferring the namespace layer, USERNS). */
enum sandbox_layer { SANDBOX_AUTO, SANDBOX_POSIX, SANDBOX_BWRAP, SANDBOX_USERNS, SANDBOX_DEFAULT };

#define SANDBOX_MAX_HIDDEN 8

struct sandbox {
	enum sandbox_layer layer;	/* POSIX, BWRAP or USERNS once opened */
	bool own_uid;			/* programs run as uid:gid below */
	uid_t uid;
	gid_t gid;
	int lock_fd;			/* holds the uid while this process lives */
	const char *bwrap;		/* the bubblewrap binary, for BWRAP */
	char shim[4096];		/* bin/grade itself, which runs programs under bwrap */
	char shim_dir[4096];		/* its folder, with the audit library: seen read-only */
	const char *hidden[SANDBOX_MAX_HIDDEN];	/* folders programs must not see */
	size_t nhidden;
	const char *keep;		/* the grader's work folder: seen even inside those */
};

/* What the run of one program left behind that the sweep removed. */
struct sandbox_sweep {
	int processes;			/* rounds in which the uid still had processes */
	int shm_files;			/* /dev/shm files of the uid removed */
	int ipc_objects;		/* SysV segments, semaphores, queues removed */
	int tmp_files;			/* files of the uid removed from /tmp, /var/tmp */
};

/* The layer asked for on the command line (--sandbox); DEFAULT if none. */
extern enum sandbox_layer sandbox_preference;

/* Whether the grading's programs have a network namespace of their own. */
extern bool sandbox_offline;

/* In a run's child, before anything else: as root, enters the programs'
 * network namespace (made with the work folder); false if it could not. */
bool sandbox_go_offline(void);

/* "auto", "posix", "bwrap" or "userns"; false for anything else. */
bool sandbox_parse(const char *name, enum sandbox_layer *layer);

/* Picks the layer and, as root, reserves a uid.  Dies (exit 2) when bwrap
 * or userns was asked for and does not work, or no uid is free. */
void sandbox_open(struct sandbox *sb, enum sandbox_layer want);
void sandbox_close(struct sandbox *sb);
/* Uids for workers that run programs beside the grading process: each one
 * reserved and swept once, then lent to one worker at a time (the sweep
 * after every run leaves a uid clean for the next). */
#define SANDBOX_MAX_LENT 64
struct uid_pool {
	size_t n;
	uid_t uid[SANDBOX_MAX_LENT];
	int lock_fd[SANDBOX_MAX_LENT];
	bool lent[SANDBOX_MAX_LENT];
};
/* Before forking a worker: *out is sb with a uid of the pool's, marked lent
 * (as root; else a plain copy).  Dies when no uid is free. */
void sandbox_lend(const struct sandbox *sb, struct uid_pool *pool, struct sandbox *out);
/* The worker is done: its uid may be lent again. */
void sandbox_return(struct uid_pool *pool, uid_t uid);
/* At the end of the grading: gives the pool's uids up. */
void sandbox_pool_close(struct uid_pool *pool);

/* As root: makes dir, the grader's fresh work folder, a tmpfs, in a mount
 * namespace of this process's own (it goes with the process).  A grading
 * makes and removes thousands of small files: on ext4 that cost a class a
 * fifth of its time (measured), in memory next to nothing.  False, and dir
 * as it was, where this process may not make a mount namespace or mount. */
bool sandbox_work_in_memory(const char *dir);
/* As an ordinary user (default layer), it first enters the namespace
 * layer's namespaces (userns.h), once per process. */

/* Where the work folder goes: NULL for $TMPDIR (or /tmp); /tmp as root when
 * $TMPDIR is a folder other users cannot enter. */
const char *sandbox_work_parent(void);
/* In that namespace: dir, a run's fresh folder inside the work folder, gets
 * a small tmpfs of its own: a program that writes files without end fills
 * its own folder, never the grader's nor another run's. */
#define RUN_FOLDER_FILES 1024
#define RUN_FOLDER_MIB 16
void sandbox_run_folder(const char *dir);

/* Adds a folder to hide from programs (at most SANDBOX_MAX_HIDDEN). */
void sandbox_hide(struct sandbox *sb, const char *path);
/* The shim is the copy of the grader in dir (and dir is seen read-only). */
void sandbox_use_shim(struct sandbox *sb, const char *dir);
/* The grader's work folder (absolute): it stays visible wherever it is. */
void sandbox_keep(struct sandbox *sb, const char *workdir);

/* "bwrap, own uid 61003, ..." : which protections are active. */
const char *sandbox_describe(const struct sandbox *sb, char *buf, size_t size);

/* Hands a folder the grader made to the run uid (root only; else a no-op). */
void sandbox_give(const struct sandbox *sb, const char *path);
/* Takes a file or folder back from the run uid, never through a link, and
 * sets its mode (root only; else a no-op). */
void sandbox_take(const struct sandbox *sb, const char *path, mode_t mode);

/* In the child, after fork and before exec: hides the hidden folders and
 * drops to the run uid.  Only system calls; returns the step that failed
 * (errno set), or NULL. */
const char *sandbox_enter(const struct sandbox *sb);

/* The argv to exec for argv under the layer: argv itself, or bwrap's
 * command line with dir and binds (NULL-ended; "-path" is seen read-only)
 * visible.  Free with free() when it is not argv. */
const char *const *sandbox_argv(const struct sandbox *sb, const char *const *argv,
				const char *dir, const char *const *binds);

/* After a run that started at `since` (CLOCK_REALTIME), as root with an own
 * uid: kills every process of the uid (from a helper that has become the
 * uid, never as root) and removes what it left in /dev/shm, SysV IPC and the
 * temporary folders (those changed since the run began).  Fills *out. */
void sandbox_sweep(const struct sandbox *sb, struct timespec since, struct sandbox_sweep *out);

#endif
