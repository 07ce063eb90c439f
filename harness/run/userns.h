/*
 * userns.h: the namespace layer of an ordinary user (the sandbox's own; see
 * sandbox.h).
 *
 * Once per grading process: a user namespace of its own (its uid and gid
 * mapped to themselves), with mount and network namespaces, and a program
 * root: a tmpfs with the system folders bound read-only, a few devices and
 * the grader's tools.  Once per run, the run's first process (its init, pid
 * 1 of a pid namespace of the run's own, with mount and IPC namespaces of
 * its own) adds the run's folders, /proc, /tmp and /dev/shm to that root and
 * enters it; everything of the run dies with the init.
 */
#ifndef RUN_USERNS_H
#define RUN_USERNS_H

#include <stdbool.h>

#include "run/sandbox.h"

/* As an ordinary user, once per process: enters the namespaces.  False
 * where the kernel refuses them (userns_refused() says which and why). */
bool userns_enter(void);
bool userns_active(void);

/* In a fresh user namespace (a run's, whose RLIMIT_NPROC then counts its
 * own processes only): the user's uid and gid mapped to themselves. */
bool userns_map(void);

/* What the kernel refused ("user namespace: Operation not permitted"),
 * or NULL. */
const char *userns_refused(void);

/* Before the first run of a grading: the program root, under the work
 * folder sb keeps (made once per work folder).  Dies if it cannot be made. */
void userns_make_root(const struct sandbox *sb);

/* In the run's init: its own /proc, /tmp and /dev/shm in the root, the
 * grader's tools (sb's shim_dir, read-only) and binds (NULL-ended; "-path"
 * read-only) bound into it, then chroot into it.  Returns the step that
 * failed (errno set), or NULL. */
const char *userns_enter_run(const struct sandbox *sb, const char *const *binds);

#endif
