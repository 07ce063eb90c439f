/*
 * shim.h: what the bwrap shim and the namespace layer's init report (the run
 * layer's own; see run.h).
 */
#ifndef RUN_SHIM_H
#define RUN_SHIM_H

#include "run/run.h"

/* What the shim (or the namespace layer's init) reports: the wait status,
 * and what the program left in its namespaces, which die with them (so the
 * grader's own sweep cannot see it).  It replaces bwrap's exit code, which
 * cannot tell exit 135 from SIGBUS. */
struct shim_report {
	int status;
	struct sandbox_sweep left;
};

/* Entries of /tmp and /var/tmp now. */
int shim_tmp_entries(void);

/* After the program ended: what it left in its namespaces, its processes
 * given 200 ms to end (and reaped meanwhile, where this is their pid 1). */
void shim_left(struct sandbox_sweep *left, int tmp_before);

/* After a run under bwrap: the shim's report on fd replaces bwrap's exit
 * code in res, and adds what the program left in its namespace. */
void read_shim_status(int fd, struct run_result *res);

#endif
