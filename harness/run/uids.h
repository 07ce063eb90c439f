/*
 * uids.h: the run uids root grades under (the sandbox's own; see sandbox.h).
 */
#ifndef RUN_UIDS_H
#define RUN_UIDS_H

#include <stdbool.h>
#include <sys/types.h>

#include "run/sandbox.h"

/* Becomes uid:gid for good, and checks it; false if anything is off. */
bool become(uid_t uid, gid_t gid);

/* Reserves a free uid for sb (as root), the search starting at a place of
 * this process's own, the nth for its nth uid; sweeps what a holder that
 * died left of it.  Dies when none is free. */
void reserve_uid(struct sandbox *sb, unsigned nth);

/* Lets a uid go once every run of it was swept. */
void release_uid(int lock_fd);

#endif
