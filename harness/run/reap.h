/*
 * reap.h: watching a run's processes (the run layer's own; see run.h).
 */
#ifndef RUN_REAP_H
#define RUN_REAP_H

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "run/run.h"

/* Processes the real uid owns now: RLIMIT_NPROC counts them all. */
rlim_t processes_of_uid(uid_t uid);

/* CPU seconds the run of session sid has used so far (see reap.c). */
double run_cpu(pid_t sid, const struct sandbox *sb);

/* Whether a child of ours but zombies and workers is still alive; whether
 * one is running (or waiting for a CPU: state R). */
bool descendants_alive(void);
bool descendants_running(void);

/* The state letter of pid in /proc (R, S, D, Z...), '?' if it is gone. */
char process_state(pid_t pid);

/* Kills and reaps whatever of the run led by leader is left, adding the
 * CPU of what it reaps to res; returns how many processes other than the
 * leader were still alive. */
int run_reap(pid_t leader, bool *leader_reaped, struct run_result *res);

#endif
