/*
 * reap.c: watching a run's processes: the children that came back to us as
 * subreaper, killing and reaping what is left, and the CPU and process
 * counts read from /proc (see reap.h).  Nothing here calls kill(-1, ...).
 */
#define _GNU_SOURCE
#include "run/reap.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/sys.h"
#include "lang/lang.h"

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
rlim_t processes_of_uid(uid_t uid)
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
double run_cpu(pid_t sid, const struct sandbox *sb)
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
		die("%s", _("more than 64 workers at once"));
}

static bool is_protected(pid_t pid)
{
	for (size_t i = 0; i < sizeof(protected_pids) / sizeof(protected_pids[0]); i++)
		if (protected_pids[i] == pid)
			return true;
	return false;
}

char process_state(pid_t pid)
{
	char path[64], stat[512], *paren;
	int fd;

	/* The state follows the last ')' of /proc/PID/stat. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return '?';
	ssize_t m = read(fd, stat, sizeof(stat) - 1);
	close(fd);
	stat[m > 0 ? m : 0] = '\0';
	return (paren = strrchr(stat, ')')) != NULL && paren[1] == ' ' ? paren[2] : '?';
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
		char state = process_state(pid);
		live[found] = state != 'Z' && state != 'X';
		out[found++] = pid;
	}
	return found;
}

bool descendants_running(void)
{
	pid_t kids[64];
	bool live[64];
	size_t n = our_children(kids, live, 64);

	for (size_t i = 0; i < n; i++)
		if (live[i] && process_state(kids[i]) == 'R')
			return true;
	return false;
}

/* Whether a child of ours but zombies is still alive: everything of the run
 * that outlives its parent comes back to us as subreaper. */
bool descendants_alive(void)
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
int run_reap(pid_t leader, bool *leader_reaped, struct run_result *res)
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
