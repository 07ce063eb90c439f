/*
 * run.c: run one program under limits and capture what it does (see run.h).
 *
 * The parent polls the two output pipes and a pidfd of the main process, so it
 * notices the end of the program even while a grandchild still holds the
 * pipes open.  When the main process is gone, everything left of the run is
 * killed: its process group first, then every child that came back to us as
 * subreaper, until none is left.  Nothing here calls kill(-1, ...).
 *
 * Here: the run loop.  spawn.c starts the process, reap.c kills and reaps
 * what is left, shim.c is the program's parent under bwrap, userns.c the
 * namespace layer's mounts.
 */
#define _GNU_SOURCE
#include "run/run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/reap.h"
#include "run/shim.h"
#include "run/spawn.h"
#include "run/sys.h"
#include "lang/lang.h"

const struct run_limits run_default_limits = {
	/* A lab program ends in milliseconds (the document's own, with its
	 * sleep(1), in one second): these only bound a runaway, and cost their
	 * whole length to every program that runs into them. */
	.wall_sec = 2.0,
	.cpu_sec = 1.0,
	.keep_bytes = 64 * 1024,
	.kill_bytes = 1024 * 1024,
	.nproc = 32,
	.fsize = 1024 * 1024,	/* a lab's file is a few KiB; a write loop stops sooner */
	.as = 1024UL * 1024 * 1024,
	.nofile = 256,
};

/* What a lab program may see of the environment; the rest is dropped. */
static const char *const base_env[] = {
	"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C", "LC_ALL=C", NULL,
};

static volatile sig_atomic_t interrupted;

void run_interrupt(void)
{
	interrupted = 1;
}

bool run_interrupted(void)
{
	return interrupted;
}

void run_init(void)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		die_errno("prctl(PR_SET_CHILD_SUBREAPER)");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what is there; keeps the first keep_bytes, counts the rest. */
static int drain(int fd, struct run_stream *s, size_t keep)
{
	char buf[65536];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n <= 0)
		return n == 0 || (errno != EINTR && errno != EAGAIN) ? -1 : 0;
	if (s->len < keep) {
		size_t take = (size_t)n < keep - s->len ? (size_t)n : keep - s->len;
		memcpy(s->data + s->len, buf, take);
		s->len += take;
		s->data[s->len] = '\0';
	}
	s->total += (size_t)n;
	return 0;
}

/* Reads what the ready pipes hold (pf[0] stdout's, pf[1] stderr's); a pipe
 * at its end is closed and set to -1.  Returns how many are still open. */
static int drain_ready(const struct pollfd pf[2], int *out, int *err, struct run_result *res,
		       size_t keep)
{
	int *fds[2] = { out, err };
	struct run_stream *streams[2] = { &res->out, &res->err };

	for (int i = 0; i < 2; i++) {
		if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (drain(*fds[i], streams[i], keep) == -1) {
			close(*fds[i]);
			*fds[i] = -1;
		}
	}
	return (*out >= 0) + (*err >= 0);
}

int run_program(const struct run_spec *spec, struct run_result *res)
{
	const struct run_limits *l = &spec->limits;
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, st[2] = { -1, -1 };
	int ws[2] = { -1, -1 };		/* the shim's or the init's report */
	int pidfd = -1, rc = -1;
	char **env = NULL;
	const char **shim_argv = NULL;
	const char *const *argv = spec->argv;
	const char *exec_path = spec->path != NULL ? spec->path : spec->argv[0];

	memset(res, 0, sizeof(*res));
	res->out.data = xmalloc(l->keep_bytes + 1);
	res->err.data = xmalloc(l->keep_bytes + 1);
	res->out.data[0] = res->err.data[0] = '\0';

	size_t nenv = 0, nextra = 0;
	while (spec->env != NULL && spec->env[nextra] != NULL)
		nextra++;
	env = xmalloc((sizeof(base_env) / sizeof(base_env[0]) + nextra + 3) * sizeof(*env));
	for (const char *const *e = base_env; *e != NULL; e++)
		env[nenv++] = (char *)*e;
	char home[4200], tmp[4200];
	snprintf(home, sizeof(home), "HOME=%s", spec->dir);
	snprintf(tmp, sizeof(tmp), "TMPDIR=%s", spec->dir);
	env[nenv++] = home;
	env[nenv++] = tmp;
	/* Under bwrap the program's own variables (LD_PRELOAD above all) go to
	 * the shim on its command line: bwrap and the shim must not get them. */
	const struct sandbox *sb = spec->sandbox;
	bool shim = sb != NULL && sb->layer == SANDBOX_BWRAP;
	bool reports = shim || (sb != NULL && sb->layer == SANDBOX_USERNS);
	for (size_t i = 0; i < nextra && !shim; i++)
		env[nenv++] = (char *)spec->env[i];
	env[nenv] = NULL;

	/* Under bwrap, the program runs behind the shim, and under the
	 * namespace layer behind its init: either reports its status through a
	 * pipe of its own. */
	if (pipe2(out, O_CLOEXEC) == -1 || pipe2(err, O_CLOEXEC) == -1 ||
	    pipe2(st, O_CLOEXEC) == -1 || (reports && pipe2(ws, O_CLOEXEC) == -1)) {
		snprintf(res->error, sizeof(res->error), "pipe: %s", strerror(errno));
		goto done;
	}
	if (shim) {
		size_t n = 0;
		while (spec->argv[n] != NULL)
			n++;
		shim_argv = xcalloc(n + nextra + 6, sizeof(*shim_argv));
		shim_argv[0] = sb->shim;
		shim_argv[1] = "--run-shim";
		shim_argv[2] = "4";
		if (nextra > 0)
			memcpy(shim_argv + 3, spec->env, nextra * sizeof(*shim_argv));
		shim_argv[3 + nextra] = "--";
		shim_argv[4 + nextra] = exec_path;
		memcpy(shim_argv + 5 + nextra, spec->argv, n * sizeof(*shim_argv));
		argv = sandbox_argv(sb, shim_argv, spec->dir, spec->binds);
		exec_path = argv[0];
	}
	rlim_t nproc = run_nproc(sb, l);

	double start = now();
	struct timespec start_wall;
	clock_gettime(CLOCK_REALTIME, &start_wall);
	pid_t pid = run_spawn(spec, exec_path, argv, env, out[1], err[1], st[1], ws[1], nproc);
	if (pid == -1) {
		snprintf(res->error, sizeof(res->error), "vfork: %s", strerror(errno));
		goto done;
	}
	close(out[1]);
	close(err[1]);
	close(st[1]);
	out[1] = err[1] = st[1] = -1;
	if (ws[1] >= 0)
		close(ws[1]);
	ws[1] = -1;

	int e = 0;
	char step[32] = "";
	ssize_t n = read(st[0], &e, sizeof(e));
	if (n == (ssize_t)sizeof(e)) {
		n = read(st[0], step, sizeof(step) - 1);
		step[n > 0 ? n : 0] = '\0';
		waitpid(pid, NULL, 0);
		res->end = RUN_NOT_STARTED;
		snprintf(res->error, sizeof(res->error), "%s %s: %s", step,
			 spec->path != NULL ? spec->path : spec->argv[0], strerror(e));
		rc = 0;
		goto done;
	}

	pidfd = pidfd_open(pid, 0);
	if (pidfd == -1) {
		kill(pid, SIGKILL);
		snprintf(res->error, sizeof(res->error), "pidfd_open: %s", strerror(errno));
		bool reaped = false;
		run_reap(pid, &reaped, res);
		goto done;
	}

	/* Until the main process ends, or the wall clock or output runs out.  A
	 * run still computing when the wall clock runs out gets more of it, 0.2 s
	 * at a time, up to three times the limit: on a busy machine (a class, its
	 * own runs beside it) waiting for a CPU is not the program's doing, and
	 * the CPU limit is the one that tells a loop that never ends. */
	bool ended = false, killed = false;
	double wall = l->wall_sec, cpu_then = 0, then = start;
	res->end = RUN_EXITED;
	int open_pipes = 2;
	while (!ended) {
		double left = wall - (now() - start);
		if (interrupted) {
			res->end = RUN_INTERRUPTED;
			killed = true;
			break;
		}
		struct pollfd pf[3] = {
			{ .fd = pidfd, .events = POLLIN },
			{ .fd = out[0], .events = POLLIN },
			{ .fd = err[0], .events = POLLIN },
		};
		/* At the deadline too, once: a run that ended right then (SIGXCPU,
		 * say) ended by itself, not by the wall clock. */
		int r = poll(pf, 3, left > 0 ? (int)(left * 1000) + 1 : 0);
		if (r == -1 && errno != EINTR) {
			snprintf(res->error, sizeof(res->error), "poll: %s", strerror(errno));
			killed = true;
			break;
		}
		open_pipes = drain_ready(pf + 1, &out[0], &err[0], res, l->keep_bytes);
		if (res->out.total + res->err.total > l->kill_bytes) {
			res->end = RUN_OUTPUT_LIMIT;
			killed = true;
			break;
		}
		if (pf[0].revents & POLLIN)
			ended = true;
		if (ended || left > 0)
			continue;
		if (wall + 0.2 <= 3 * l->wall_sec) {
			double cpu = run_cpu(pid, sb), t = now();
			if (cpu - cpu_then >= 0.1 * (t - then)) {	/* a tenth of a CPU, or more */
				wall += 0.2;
				cpu_then = cpu;
				then = t;
				continue;
			}
		}
		res->end = RUN_TIMEOUT;
		killed = true;
		break;
	}
	if (killed)
		kill(-pid, SIGKILL);

	/* The main process's status is the run's; WNOWAIT leaves it a zombie, so
	 * its pid (and group id) stay reserved until run_reap() reaps it. */
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == -1 && errno == EINTR)
		;
	if (res->end == RUN_EXITED) {
		if (si.si_code == CLD_EXITED) {
			res->code = si.si_status;
		} else {
			res->end = RUN_SIGNALED;
			res->sig = si.si_status;
		}
	}
	bool reaped = false;

	/* After the main process: a short grace in which what it left (a child
	 * it did not wait for, bwrap's own last process) may end by itself and
	 * the pipes drain; then whatever is still alive is killed and counted,
	 * and the pipes are read to EOF.  A flood or the wall clock ends the
	 * grace at once. */
	double grace_end = now() + (killed ? 0 : 0.2);
	/* A process still running then (on a busy machine, one on its way
	 * out that has not had a CPU yet) gets up to a second in all. */
	double grace_most = grace_end + 0.8;
	bool swept = killed;
	if (killed)	/* what a program we killed leaves is not its doing */
		run_reap(pid, &reaped, res);
	while (open_pipes > 0 || (!swept && descendants_alive())) {
		double left = grace_end - now();
		if (!swept && left <= 0 && now() < grace_most && now() - start <= l->wall_sec &&
		    descendants_running()) {
			grace_end = now() + 0.05;
			continue;
		}
		if (!swept && (left <= 0 || now() - start > l->wall_sec)) {
			res->leftover += run_reap(pid, &reaped, res);
			swept = true;
			continue;
		}
		struct pollfd pf[2] = {
			{ .fd = out[0], .events = POLLIN },
			{ .fd = err[0], .events = POLLIN },
		};
		/* While only processes are awaited, look again every 5 ms. */
		int ms = swept ? -1 : open_pipes > 0 ? (int)(left * 1000) + 1 : 5;
		if (poll(pf, 2, ms) == -1 && errno != EINTR)
			break;
		open_pipes = drain_ready(pf, &out[0], &err[0], res, l->keep_bytes);
		/* A flood that goes on after the main process ended. */
		if (res->out.total + res->err.total > l->kill_bytes && !swept) {
			if (res->end == RUN_EXITED)
				res->end = RUN_OUTPUT_LIMIT;
			res->leftover += run_reap(pid, &reaped, res);
			swept = true;
		}
	}
	res->leftover += run_reap(pid, &reaped, res);
	if (sb != NULL && sb->own_uid) {
		/* Whatever of the uid is still alive, wherever it went; what it
		 * kills comes back to us to be reaped. */
		sandbox_sweep(sb, start_wall, &res->swept);
		res->leftover += killed ? 0 : res->swept.processes;
		run_reap(pid, &reaped, res);
	}
	if (reports)
		read_shim_status(ws[0], res);
	res->wall_sec = now() - start;
	rc = 0;
done:
	for (int *fd = (int[]){ out[0], out[1], err[0], err[1], st[0], st[1], ws[0], ws[1],
				pidfd, -2 }; *fd != -2; fd++)
		if (*fd >= 0)
			close(*fd);
	if (argv != spec->argv && argv != shim_argv)
		free((void *)argv);
	free(shim_argv);
	free(env);
	return rc;
}

void run_result_free(struct run_result *res)
{
	free(res->out.data);
	free(res->err.data);
	res->out.data = res->err.data = NULL;
}

const char *run_describe(const struct run_result *res, char *buf, size_t size)
{
	switch (res->end) {
	case RUN_EXITED:
		snprintf(buf, size, _("exit %d"), res->code);
		break;
	case RUN_SIGNALED:
		snprintf(buf, size, _("killed by SIG%s"), sigabbrev_np(res->sig) ?
			 sigabbrev_np(res->sig) : "?");
		break;
	case RUN_TIMEOUT:
		snprintf(buf, size, _("time limit (%.1f s wall clock)"), res->wall_sec);
		break;
	case RUN_OUTPUT_LIMIT:
		snprintf(buf, size, _("output limit (%zu bytes written)"),
			 res->out.total + res->err.total);
		break;
	case RUN_NOT_STARTED:
		snprintf(buf, size, _("not started: %s"), res->error);
		break;
	case RUN_INTERRUPTED:
		snprintf(buf, size, "%s", _("interrupted"));
		break;
	case RUN_SKIPPED:
		snprintf(buf, size, _("not run: %s"), res->error);
		break;
	}
	return buf;
}
