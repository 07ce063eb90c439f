/*
 * shim.h: what the bwrap shim reports (the run layer's own; see run.h).
 */
#ifndef RUN_SHIM_H
#define RUN_SHIM_H

#include "run/run.h"

/* After a run under bwrap: the shim's report on fd replaces bwrap's exit
 * code in res, and adds what the program left in its namespace. */
void read_shim_status(int fd, struct run_result *res);

#endif
