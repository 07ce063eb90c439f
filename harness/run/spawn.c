/*
 * spawn.c: starting a run's process: its descriptors, session, rlimits
 * (never above the hard limits) and signals, the sandbox entered, then exec;
 * under the namespace layer, the run's init that starts it (see spawn.h).
 */
#define _GNU_SOURCE
#include "run/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lang/lang.h"
#include "run/reap.h"
#include "run/shim.h"
#include "run/sys.h"
#include "run/userns.h"

rlim_t run_clamp(int resource, rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) == 0 && rl.rlim_max != RLIM_INFINITY && want > rl.rlim_max)
		return rl.rlim_max;
	return want;
}

/* The processes a run's uid may have: an own uid runs nothing else.  Any
 * other uid may already run plenty, and the runs of a lab share it, side by
 * side with their workers: room for eight runs' worth beyond what it ran at
 * the first run.  bwrap needs a few processes of its own.  Under the
 * namespace layer a run's user namespace counts the run's own alone. */
static rlim_t nproc_wanted(const struct sandbox *sb, const struct run_limits *l)
{
	static rlim_t already = (rlim_t)-1;	/* counted once: a scan of /proc */
	bool own_uid = sb != NULL && sb->own_uid;

	if (sb != NULL && sb->layer == SANDBOX_USERNS)
		return l->nproc + 1;	/* its user namespace counts its init and itself */
	if (already == (rlim_t)-1 && !own_uid)
		already = processes_of_uid(getuid());
	return (own_uid ? l->nproc : already + 8 * l->nproc) +
	       (sb != NULL && sb->layer == SANDBOX_BWRAP ? 3 : 0);
}

rlim_t run_nproc(const struct sandbox *sb, const struct run_limits *l)
{
	rlim_t want = nproc_wanted(sb, l), hard = run_clamp(RLIMIT_NPROC, want);

	/* Under a lower hard limit a shared uid keeps a few processes for the
	 * grader and the runs beside, whatever one run forks. */
	if (hard < want && !(sb != NULL && sb->own_uid))
		hard -= hard / 4 < 16 ? hard / 4 : 16;
	return hard;
}

const char *run_lowered(const struct sandbox *sb, const struct run_limits *l, char *buf,
			size_t size)
{
	static const char *const what[] = { N_("processes"), N_("file size (bytes)"),
					    N_("address space (bytes)"), N_("open files"),
					    N_("CPU (s)") };
	rlim_t want[] = { nproc_wanted(sb, l), l->fsize, l->as, l->nofile,
			  (rlim_t)(l->cpu_sec + 0.999) + 1 };
	int res[] = { RLIMIT_NPROC, RLIMIT_FSIZE, RLIMIT_AS, RLIMIT_NOFILE, RLIMIT_CPU };
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		rlim_t got = run_clamp(res[i], want[i]);
		if (got < want[i] && used < size)
			used += (size_t)snprintf(buf + used, size - used, _("%s%s %llu (wanted %llu)"),
						 used ? ", " : "", _(what[i]),
						 (unsigned long long)got, (unsigned long long)want[i]);
	}
	return buf;
}

/* In the child: stdin from /dev/null, out and err as 1 and 2, errfd as 3
 * (close-on-exec) and statusfd (if >= 0) as 4; every other inherited
 * descriptor goes.  Returns the step that failed, or NULL. */
static const char *child_fds(int out, int err, int errfd, int statusfd)
{
	int in = open("/dev/null", O_RDONLY);

	if (in == -1)
		return "/dev/null";
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1 || dup2(err, 2) == -1)
		return "dup2";
	errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 10);
	statusfd = statusfd >= 0 ? fcntl(statusfd, F_DUPFD, 10) : -1;
	dup2(errfd, 3);
	fcntl(3, F_SETFD, FD_CLOEXEC);
	if (statusfd >= 0)
		dup2(statusfd, 4);
	close_range(statusfd >= 0 ? 5 : 4, ~0U, 0);
	return NULL;
}

/* The run's rlimits, each at most the hard limit (which only root could
 * raise, and the grader never does).  Returns the step that failed, or NULL. */
static const char *child_limits(const struct run_limits *l, rlim_t nproc)
{
	struct rlimit rl;

	rl.rlim_cur = (rlim_t)(l->cpu_sec + 0.999);	/* whole seconds, rounded up */
	rl.rlim_max = run_clamp(RLIMIT_CPU, rl.rlim_cur + 1);
	if (rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_CPU, &rl) == -1)
		return "setrlimit";
	struct { int res; rlim_t val; } lims[] = {
		{ RLIMIT_NPROC, nproc }, { RLIMIT_FSIZE, l->fsize },
		{ RLIMIT_AS, l->as }, { RLIMIT_NOFILE, l->nofile },
		{ RLIMIT_CORE, 0 }, { RLIMIT_MEMLOCK, 0 },
	};
	for (size_t i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
		rl.rlim_cur = rl.rlim_max = run_clamp(lims[i].res, lims[i].val);
		if (setrlimit(lims[i].res, &rl) == -1)
			return "setrlimit";
	}
	return NULL;
}

/* Signals the grader (or whoever started it) catches, ignores or blocks
 * must not stay so in the program: handlers first, while run_spawn() still
 * blocks every signal, then the mask. */
static void child_signals(bool unblock)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	if (unblock)
		sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The errno and the step that failed, to the grader through errfd (3). */
static __attribute__((noreturn)) void child_fail(const char *step)
{
	int e = errno;

	if (write(3, &e, sizeof(e)) == (ssize_t)sizeof(e))
		(void)!write(3, step, strlen(step));
	_exit(127);
}

/* Limits, signals, the sandbox, the folder, exec: in a child that already
 * has its descriptors. */
static __attribute__((noreturn)) void child_run(const struct run_spec *spec, const char *path,
						const char *const *argv, char *const env[],
						rlim_t nproc)
{
	const char *step = child_limits(&spec->limits, nproc);

	if (step != NULL)
		child_fail(step);
	child_signals(true);
	if (spec->sandbox != NULL && (step = sandbox_enter(spec->sandbox)) != NULL)
		child_fail(step);
	/* As the run uid: a folder it cannot enter is an error here, not later. */
	if (chdir(spec->dir) == -1)
		child_fail("chdir");
	execve(path, (char *const *)argv, env);
	child_fail("exec");
}

/* In the child: a session of its own and its descriptors, or the step that
 * failed on errfd, and exit. */
static void child_start(int out, int err, int errfd, int statusfd)
{
	const char *step = setsid() == -1 ? "setsid" : !sandbox_go_offline() ? "setns (network)"
			   : child_fds(out, err, errfd, statusfd);

	if (step != NULL) {
		int e = errno;
		if (write(errfd, &e, sizeof(e)) == (ssize_t)sizeof(e))
			(void)!write(errfd, step, strlen(step));
		_exit(127);
	}
}

/* In the child, between vfork and exec: only async-signal-safe calls. */
static __attribute__((noreturn)) void child_exec(const struct run_spec *spec, const char *path,
						 const char *const *argv, char *const env[],
						 int out, int err, int errfd, int statusfd,
						 rlim_t nproc)
{
	child_start(out, err, errfd, statusfd);
	child_run(spec, path, argv, env, nproc);
}

/* The namespace layer's init: pid 1 of the run's own user, pid, mount and
 * IPC namespaces (a copy of the grader, not sharing its memory).  It enters the
 * program root, starts the program, and when the program ends, reports its
 * status and what it left on descriptor 4, then exits: the kernel kills
 * whatever of the run is still alive. */
static __attribute__((noreturn)) void init_run(const struct run_spec *spec, const char *path,
					       const char *const *argv, char *const env[],
					       int out, int err, int errfd, int statusfd,
					       rlim_t nproc)
{
	const char *step;
	int status = 0;

	child_start(out, err, errfd, statusfd);
	fcntl(4, F_SETFD, FD_CLOEXEC);	/* the report is the init's, not the program's */
	if (!userns_map())
		child_fail("uid_map");
	/* Signals stay blocked here: as pid 1 nothing of the run can signal
	 * it, and the grader only kills it. */
	child_signals(false);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if ((step = userns_enter_run(spec->sandbox, spec->binds)) != NULL)
		child_fail(step);
	int tmp_before = shim_tmp_entries();
	pid_t pid;
	for (int tries = 0;;) {
		if ((pid = vfork()) == 0)
			child_run(spec, path, argv, env, nproc);
		if (pid != -1 || !fork_again(&tries))
			break;
	}
	if (pid == -1)
		child_fail("vfork");
	/* exec done (or failed and said so): the grader reads on, and the
	 * output pipes are the program's alone. */
	for (int fd = 0; fd <= 3; fd++)
		close(fd);
	for (pid_t w; (w = waitpid(-1, &status, 0)) != pid;)
		if (w == -1 && errno != EINTR)
			_exit(127);
	struct shim_report rep = { .status = status };
	shim_left(&rep.left, tmp_before);
	_exit(write(4, &rep, sizeof(rep)) == (ssize_t)sizeof(rep) ? 0 : 127);
}

/* Starts the run's process.  vfork: until exec it only makes system calls,
 * so the grader's memory need not be copied for every run; every signal is
 * blocked across it, so that no handler of the grader's runs in the child,
 * which shares that memory.  Under the namespace layer the init is a clone
 * with namespaces of its own, which lives as long as the run.  Where the
 * uid has no process to spare (another run's fork bomb), it waits for room
 * (fork_again). */
/* One try: the init's clone, or the vfork (every signal blocked across it). */
static pid_t spawn_once(const struct run_spec *spec, bool ns, const char *path,
			const char *const *argv, char *const env[], int out, int err, int errfd,
			int statusfd, rlim_t nproc)
{
	sigset_t all, was;
	pid_t pid;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &was);
	if (ns) {
		pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS |
				     CLONE_NEWIPC | SIGCHLD, NULL, NULL, NULL, NULL);
		if (pid == 0)
			init_run(spec, path, argv, env, out, err, errfd, statusfd, nproc);
	} else {
		pid = vfork();
		if (pid == 0)
			child_exec(spec, path, argv, env, out, err, errfd, statusfd, nproc);
	}
	int e = errno;
	sigprocmask(SIG_SETMASK, &was, NULL);
	errno = e;
	return pid;
}

pid_t run_spawn(const struct run_spec *spec, const char *path, const char *const *argv,
		char *const env[], int out, int err, int errfd, int statusfd, rlim_t nproc)
{
	bool ns = spec->sandbox != NULL && spec->sandbox->layer == SANDBOX_USERNS;
	pid_t pid;

	if (ns)
		userns_make_root(spec->sandbox);
	/* Signals are let through while it waits for room. */
	for (int tries = 0;;)
		if ((pid = spawn_once(spec, ns, path, argv, env, out, err, errfd, statusfd,
				      nproc)) != -1 || !fork_again(&tries))
			return pid;
}
