/*
 * spawn.h: starting a run's process (the run layer's own; see run.h).
 */
#ifndef RUN_SPAWN_H
#define RUN_SPAWN_H

#include <sys/resource.h>
#include <sys/types.h>

#include "run/run.h"

/* want, or the hard limit of resource if that is lower: the grader never
 * raises a limit (as root it could). */
rlim_t run_clamp(int resource, rlim_t want);

/* RLIMIT_NPROC for a run under sb (see spawn.c), within the hard limit. */
rlim_t run_nproc(const struct sandbox *sb, const struct run_limits *l);

/* "processes 256 (wanted 259), ...": the limits of l above the hard limits,
 * which the runs get lowered; "" if none. */
const char *run_lowered(const struct sandbox *sb, const struct run_limits *l, char *buf,
			size_t size);

/* Starts path with argv and env: stdin /dev/null, stdout and stderr the
 * write ends out and err, a session of its own, the rlimits of spec (nproc
 * processes), the sandbox entered.  A failure before exec is written to
 * errfd (close-on-exec) as an errno and a step name; statusfd, if >= 0, is
 * descriptor 4 of the shim, or of the namespace layer's init (which the
 * program does not get).  -1 with errno if vfork or clone fails. */
pid_t run_spawn(const struct run_spec *spec, const char *path, const char *const *argv,
		char *const env[], int out, int err, int errfd, int statusfd, rlim_t nproc);

#endif
