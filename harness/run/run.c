/*
 * run.c: run one program under limits and capture what it does (see run.h).
 *
 * The parent polls the two output pipes and a pidfd of the main process, so it
 * notices the end of the program even while a grandchild still holds the
 * pipes open.  When the main process is gone, everything left of the run is
 * killed: its process group first, then every child that came back to us as
 * subreaper, until none is left.  Nothing here calls kill(-1, ...).
 */
#define _GNU_SOURCE
#include "run/run.h"

#include <dirent.h>
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

#include "run/sys.h"

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

/* The next process listed in /proc (opened with opendir), or NULL. */
static const char *next_process(DIR *proc)
{
	struct dirent *e;

	while ((e = readdir(proc)) != NULL)
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			return e->d_name;
	return NULL;
}

/* Processes the real uid owns now: RLIMIT_NPROC counts them all. */
static rlim_t processes_of_uid(uid_t uid)
{
	DIR *d = opendir("/proc");
	const char *pid;
	rlim_t n = 0;

	if (d == NULL)
		return 0;
	while ((pid = next_process(d)) != NULL) {
		char path[300];
		struct stat st;

		snprintf(path, sizeof(path), "/proc/%s", pid);
		if (stat(path, &st) == 0 && st.st_uid == uid)
			n++;
	}
	closedir(d);
	return n;
}

/* CPU seconds the run has used so far: the processes of its session, and of
 * its uid when it has one of its own (a process that left the session);
 * reaped children included.  (The uid alone can miss: a /proc entry looked
 * up while the process was still root may show root.)  A scan of /proc,
 * made only when the wall clock runs out. */
static double run_cpu(pid_t sid, const struct sandbox *sb)
{
	DIR *d = opendir("/proc");
	const char *pid;
	double ticks = 0;

	if (d == NULL)
		return 0;
	while ((pid = next_process(d)) != NULL) {
		char path[300], stat[1024], *paren;
		struct stat st;
		unsigned long utime, stime;
		long cutime, cstime;
		int session;

		snprintf(path, sizeof(path), "/proc/%s/stat", pid);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd == -1)
			continue;
		ssize_t n = read(fd, stat, sizeof(stat) - 1);
		bool uid = sb != NULL && sb->own_uid && fstat(fd, &st) == 0 && st.st_uid == sb->uid;
		close(fd);
		stat[n > 0 ? n : 0] = '\0';
		/* Fields 6 (session) and 14-17 (CPU), after the name in parentheses. */
		if ((paren = strrchr(stat, ')')) == NULL ||
		    sscanf(paren + 2, "%*c %*d %*d %d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld",
			   &session, &utime, &stime, &cutime, &cstime) != 5)
			continue;
		if (uid || session == sid)
			ticks += (double)(utime + stime) + (double)(cutime + cstime);
	}
	closedir(d);
	return ticks / (double)sysconf(_SC_CLK_TCK);
}

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
	 * must not stay so in the program: handlers first, while spawn() still
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
static pid_t spawn(const struct run_spec *spec, const char *path, const char *const *argv,
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

/* Children of ours that are not runs: workers running a trial beside. */
static pid_t protected_pids[64];

void run_protect(pid_t pid, bool on)
{
	for (size_t i = 0; i < sizeof(protected_pids) / sizeof(protected_pids[0]); i++)
		if (on ? protected_pids[i] == 0 : protected_pids[i] == pid) {
			protected_pids[i] = on ? pid : 0;
			return;
		}
	if (on)
		die("more than 64 workers at once");
}

static bool is_protected(pid_t pid)
{
	for (size_t i = 0; i < sizeof(protected_pids) / sizeof(protected_pids[0]); i++)
		if (protected_pids[i] == pid)
			return true;
	return false;
}

/* Our children but the protected: the run's main process and whatever
 * escaped its group and came back to us as subreaper.  Fills at most max;
 * live[i] tells a running process from a zombie.  The kernel lists a
 * thread's children in /proc/self/task/TID/children: no scan of /proc. */
static size_t our_children(pid_t *out, bool *live, size_t max)
{
	char path[64], buf[4096];
	size_t found = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		die_errno("open %s", path);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (char *p = buf, *end; found < max; p = end) {
		pid_t pid = (pid_t)strtol(p, &end, 10);
		if (end == p)
			break;
		if (is_protected(pid))
			continue;
		/* The state follows the last ')' of /proc/PID/stat. */
		char stat[512], *paren;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		live[found] = true;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
			ssize_t m = read(fd, stat, sizeof(stat) - 1);
			close(fd);
			stat[m > 0 ? m : 0] = '\0';
			if ((paren = strrchr(stat, ')')) != NULL)
				live[found] = paren[2] != 'Z' && paren[2] != 'X';
		}
		out[found++] = pid;
	}
	return found;
}

/* Whether a child of ours but zombies is still alive: everything of the run
 * that outlives its parent comes back to us as subreaper. */
static bool descendants_alive(void)
{
	pid_t kids[64];
	bool live[64];
	size_t n = our_children(kids, live, 64);

	for (size_t i = 0; i < n; i++)
		if (live[i])
			return true;
	return false;
}

/* Kills and reaps whatever of the run is left; returns how many processes
 * other than the main one were still alive.  They are listed before the
 * group is signalled, and counted when first seen alive: a process killed
 * here is a zombie by the time it is reaped.  The group is signalled only
 * while its leader is unreaped: until then its id cannot name anybody
 * else's group.  Only the children found are reaped, never a worker. */
static int sweep(pid_t leader, bool *leader_reaped, struct run_result *res)
{
	pid_t counted[256];
	size_t ncounted = 0;

	for (;;) {
		pid_t kids[256];
		bool live[256];
		size_t n = our_children(kids, live, sizeof(kids) / sizeof(kids[0]));

		if (!*leader_reaped)
			kill(-leader, SIGKILL);
		if (n == 0)
			return (int)ncounted;
		for (size_t i = 0; i < n; i++) {
			bool seen = false;
			for (size_t k = 0; k < ncounted; k++)
				seen |= counted[k] == kids[i];
			if (live[i] && !seen && kids[i] != leader && ncounted < 256)
				counted[ncounted++] = kids[i];
			kill(kids[i], SIGKILL);
		}
		bool reaped = false;
		for (size_t i = 0; i < n; i++) {
			struct rusage ru;
			int status;
			if (wait4(kids[i], &status, WNOHANG, &ru) != kids[i])
				continue;
			reaped = true;
			res->cpu_sec += (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
					(double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
			if (kids[i] == leader)
				*leader_reaped = true;
		}
		if (!reaped)	/* only processes on their way out: let them finish */
			usleep(1000);
	}
}

/* The shim's report replaces bwrap's exit code, which cannot tell exit 135
 * from SIGBUS. */
/* What the shim reports: the wait status, and what the program left in the
 * namespace, which dies with it (so the grader's own sweep cannot see it). */
struct shim_report {
	int status;
	struct sandbox_sweep left;
};

static void read_shim_status(int fd, struct run_result *res)
{
	struct shim_report rep;

	if (res->end != RUN_EXITED && res->end != RUN_SIGNALED)
		return;
	if (read(fd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep)) {
		/* The program killed its own shim: say so, not "exit 137". */
		res->end = RUN_SIGNALED;
		res->sig = SIGKILL;
		return;
	}
	int status = rep.status;
	res->leftover += rep.left.processes;
	res->swept.shm_files += rep.left.shm_files;
	res->swept.ipc_objects += rep.left.ipc_objects;
	res->swept.tmp_files += rep.left.tmp_files;
	if (WIFSIGNALED(status)) {
		res->end = RUN_SIGNALED;
		res->sig = WTERMSIG(status);
	} else {
		res->end = RUN_EXITED;
		res->code = WEXITSTATUS(status);
	}
}

/* Entries of dir; for /proc, the processes but pid 1 (bwrap's) and us. */
static int count_entries(const char *dir, bool processes)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (processes) {
			int pid = atoi(e->d_name);
			n += pid > 1 && pid != getpid();
		} else {
			n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
		}
	}
	closedir(d);
	return n;
}

static int count_lines(const char *file)
{
	FILE *f = fopen(file, "re");
	int n = 0, c;

	if (f == NULL)
		return 1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

int run_shim(char *argv[])
{
	extern char **environ;
	int fd = atoi(argv[0]);
	size_t nextra = 0, nenv = 0;
	pid_t pid;
	int status;

	/* argv: FD K=V... -- PATH ARGV0 ARG...: the variables are the program's
	 * alone. */
	while (argv[1 + nextra] != NULL && strcmp(argv[1 + nextra], "--") != 0)
		nextra++;
	if (argv[1 + nextra] == NULL || argv[2 + nextra] == NULL)
		return 127;
	const char *path = argv[2 + nextra];
	char **prog = argv + 3 + nextra;
	while (environ[nenv] != NULL)
		nenv++;
	char **env = xcalloc(nenv + nextra + 1, sizeof(*env));
	memcpy(env, environ, nenv * sizeof(*env));
	memcpy(env + nenv, argv + 1, nextra * sizeof(*env));
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	/* bwrap made the folders of its binds in the private /tmp: what was
	 * there before the program is not its doing. */
	int tmp_before = count_entries("/tmp", false) + count_entries("/var/tmp", false);
	if ((pid = fork()) == -1)
		return 127;
	if (pid == 0) {
		execve(path, prog, env);
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		_exit(127);
	}
	free(env);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return 127;

	/* What the program left in the namespace: processes (bwrap's pid 1
	 * takes the orphans; give them the grader's grace to end by
	 * themselves), and files in its private /dev/shm, IPC and /tmp. */
	struct shim_report rep = { .status = status };
	for (int i = 0; i < 40 && (rep.left.processes = count_entries("/proc", true)) > 0; i++)
		usleep(5000);
	rep.left.shm_files = count_entries("/dev/shm", false);
	rep.left.tmp_files = count_entries("/tmp", false) + count_entries("/var/tmp", false) -
			     tmp_before;
	static const char *const ipc[] = { "/proc/sysvipc/shm", "/proc/sysvipc/sem",
					   "/proc/sysvipc/msg" };
	for (int i = 0; i < 3; i++)
		rep.left.ipc_objects += count_lines(ipc[i]) - 1;
	if (write(fd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
		return 127;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_program(const struct run_spec *spec, struct run_result *res)
{
	const struct run_limits *l = &spec->limits;
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, st[2] = { -1, -1 };
	int ws[2] = { -1, -1 };		/* the shim's wait status, under bwrap */
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
	for (size_t i = 0; i < nextra && !shim; i++)
		env[nenv++] = (char *)spec->env[i];
	env[nenv] = NULL;

	/* Under bwrap, the program runs behind the shim, which reports its
	 * status through a pipe of its own. */
	if (pipe2(out, O_CLOEXEC) == -1 || pipe2(err, O_CLOEXEC) == -1 ||
	    pipe2(st, O_CLOEXEC) == -1 || (shim && pipe2(ws, O_CLOEXEC) == -1)) {
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
	/* An own uid runs nothing else.  Any other uid may already run plenty,
	 * and the runs of a lab share it, side by side with their workers: room
	 * for eight runs' worth beyond what it ran at the first run.  bwrap needs
	 * a few processes of its own. */
	static rlim_t already = (rlim_t)-1;	/* counted once: a scan of /proc */
	bool own_uid = sb != NULL && sb->own_uid;
	if (already == (rlim_t)-1 && !own_uid)
		already = processes_of_uid(getuid());
	rlim_t nproc = (own_uid ? l->nproc : already + 8 * l->nproc) + (shim ? 3 : 0);

	double start = now();
	struct timespec start_wall;
	clock_gettime(CLOCK_REALTIME, &start_wall);
	pid_t pid = spawn(spec, exec_path, argv, env, out[1], err[1], st[1], ws[1], nproc);
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
		sweep(pid, &reaped, res);
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
	 * its pid (and group id) stay reserved until sweep() reaps it. */
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
	bool swept = killed;
	if (killed)	/* what a program we killed leaves is not its doing */
		sweep(pid, &reaped, res);
	while (open_pipes > 0 || (!swept && descendants_alive())) {
		double left = grace_end - now();
		if (!swept && (left <= 0 || now() - start > l->wall_sec)) {
			res->leftover += sweep(pid, &reaped, res);
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
			res->leftover += sweep(pid, &reaped, res);
			swept = true;
		}
	}
	res->leftover += sweep(pid, &reaped, res);
	if (sb != NULL && sb->own_uid) {
		/* Whatever of the uid is still alive, wherever it went; what it
		 * kills comes back to us to be reaped. */
		sandbox_sweep(sb, start_wall, &res->swept);
		res->leftover += killed ? 0 : res->swept.processes;
		sweep(pid, &reaped, res);
	}
	if (shim)
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
		snprintf(buf, size, "exit %d", res->code);
		break;
	case RUN_SIGNALED:
		snprintf(buf, size, "killed by SIG%s", sigabbrev_np(res->sig) ?
			 sigabbrev_np(res->sig) : "?");
		break;
	case RUN_TIMEOUT:
		snprintf(buf, size, "time limit (%.1f s wall clock)", res->wall_sec);
		break;
	case RUN_OUTPUT_LIMIT:
		snprintf(buf, size, "output limit (%zu bytes written)",
			 res->out.total + res->err.total);
		break;
	case RUN_NOT_STARTED:
		snprintf(buf, size, "not started: %s", res->error);
		break;
	case RUN_INTERRUPTED:
		snprintf(buf, size, "interrupted");
		break;
	case RUN_SKIPPED:
		snprintf(buf, size, "not run: %s", res->error);
		break;
	}
	return buf;
}
