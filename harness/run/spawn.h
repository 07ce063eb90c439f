/*
 * spawn.h: starting a run's process (the run layer's own; see run.h).
 */
#ifndef RUN_SPAWN_H
#define RUN_SPAWN_H

#include <sys/resource.h>
#include <sys/types.h>

#include "run/run.h"

/* Starts path with argv and env: stdin /dev/null, stdout and stderr the
 * write ends out and err, a session of its own, the rlimits of spec (nproc
 * processes), the sandbox entered.  A failure before exec is written to
 * errfd (close-on-exec) as an errno and a step name; statusfd, if >= 0, is
 * the program's descriptor 4 (the shim's).  -1 with errno if vfork fails. */
pid_t run_spawn(const struct run_spec *spec, const char *path, const char *const *argv,
		char *const env[], int out, int err, int errfd, int statusfd, rlim_t nproc);

#endif
