/*
 * spawn.c: starting a run's process: its descriptors, session, rlimits and
 * signals, the sandbox entered, then exec (see spawn.h).
 */
#define _GNU_SOURCE
#include "run/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* In the child, between fork and exec: only async-signal-safe calls.  A
 * failure is reported through errfd as the errno and a step name. */
static __attribute__((noreturn)) void child_exec(const struct run_spec *spec, const char *path,
						 const char *const *argv, char *const env[],
						 int out, int err, int errfd, int statusfd,
						 rlim_t nproc)
{
	const struct run_limits *l = &spec->limits;
	const char *step = "setsid";
	struct rlimit rl;

	if (setsid() == -1)
		goto fail;
	step = "/dev/null";
	int in = open("/dev/null", O_RDONLY);
	if (in == -1)
		goto fail;
	step = "dup2";
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1 || dup2(err, 2) == -1)
		goto fail;
	/* errfd (close-on-exec) becomes 3, and the shim's statusfd 4; every
	 * other inherited descriptor goes now. */
	errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 10);
	statusfd = statusfd >= 0 ? fcntl(statusfd, F_DUPFD, 10) : -1;
	dup2(errfd, 3);
	fcntl(3, F_SETFD, FD_CLOEXEC);
	errfd = 3;
	if (statusfd >= 0)
		dup2(statusfd, 4);
	close_range(statusfd >= 0 ? 5 : 4, ~0U, 0);

	step = "setrlimit";
	rl.rlim_cur = (rlim_t)(l->cpu_sec + 0.999);	/* whole seconds, rounded up */
	rl.rlim_max = rl.rlim_cur + 1;
	if (setrlimit(RLIMIT_CPU, &rl) == -1)
		goto fail;
	struct { int res; rlim_t val; } lims[] = {
		{ RLIMIT_NPROC, nproc }, { RLIMIT_FSIZE, l->fsize },
		{ RLIMIT_AS, l->as }, { RLIMIT_NOFILE, l->nofile },
		{ RLIMIT_CORE, 0 }, { RLIMIT_MEMLOCK, 0 },
	};
	for (size_t i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
		rl.rlim_cur = rl.rlim_max = lims[i].val;
		if (setrlimit(lims[i].res, &rl) == -1)
			goto fail;
	}
	/* Signals the grader (or whoever started it) catches, ignores or blocks
	 * must not stay so in the program: handlers first, while run_spawn() still
	 * blocks every signal, then the mask. */
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (spec->sandbox != NULL) {
		const char *failed = sandbox_enter(spec->sandbox);
		if (failed != NULL) {
			step = failed;
			goto fail;
		}
	}
	/* As the run uid: a folder it cannot enter is an error here, not later. */
	step = "chdir";
	if (chdir(spec->dir) == -1)
		goto fail;

	step = "exec";
	execve(path, (char *const *)argv, env);
fail:;
	int e = errno;
	if (write(errfd, &e, sizeof(e)) == (ssize_t)sizeof(e))
		(void)!write(errfd, step, strlen(step));
	_exit(127);
}

/* Starts the run's process.  vfork: until exec it only makes system calls,
 * so the grader's memory need not be copied for every run; every signal is
 * blocked across it, so that no handler of the grader's runs in the child,
 * which shares that memory. */
pid_t run_spawn(const struct run_spec *spec, const char *path, const char *const *argv,
		 char *const env[], int out, int err, int errfd, int statusfd, rlim_t nproc)
{
	sigset_t all, was;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &was);
	pid_t pid = vfork();
	if (pid == 0)
		child_exec(spec, path, argv, env, out, err, errfd, statusfd, nproc);
	int e = errno;
	sigprocmask(SIG_SETMASK, &was, NULL);
	errno = e;
	return pid;
}
