/*
 * frames.h: the frame reader.  Unprivileged, /proc/PID/pagemap shows a page's
 * flags but frame number 0, and as root the grader runs programs under a uid
 * of their own.  So for one run it forks a reader that stays root, listening
 * on a socket only the run's uid may connect to: the audit library in the
 * program asks it at each memory moment (lib/memory.c) and waits while it
 * reads that process's pagemap.  The reader takes the process from the
 * kernel (SO_PEERCRED), reads only a process of the run's uid, and writes
 * what it read to a file of root's that the program cannot touch; the grader
 * puts those frames into the log's memory records (audit_frames_merge).
 */
#ifndef FRAMES_H
#define FRAMES_H

#include <stdbool.h>
#include <sys/types.h>

#include "audit/log.h"

struct frames {
	pid_t pid;		/* the reader; 0: none */
	char *socket;		/* what MMAPAUDIT_FRAMES names */
	char *out;		/* base.frames: "PID MOMENT ADDR NPAGES PM0 .. PM7" */
};

/* For a run whose files are named from base (base.frames, base.sock), by
 * programs of uid:gid.  Only as root with uid not root; false otherwise,
 * and then nothing is started.  Dies if it cannot fork.  A fork per run:
 * only runs whose picture is wanted get one (memory_asked). */
bool frames_start(struct frames *f, const char *base, uid_t uid, gid_t gid);
/* Ends the reader (its pid, SIGKILL, reaped) and removes the socket; its
 * file stays until audit_frames_merge(). */
void frames_stop(struct frames *f);

/* Puts the frames read for file (base.frames) into log's memory records of
 * the same process, moment and address, in order, marking them root_read;
 * then removes the file.  No file: nothing changes. */
void audit_frames_merge(struct audit_log *log, const char *base);

#endif
