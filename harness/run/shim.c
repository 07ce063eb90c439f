/*
 * shim.c: the shim that runs a program inside bwrap (bin/grade --run-shim)
 * and the grader's reading of what it reports (see shim.h).
 */
#define _GNU_SOURCE
#include "run/shim.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/reap.h"
#include "run/sys.h"

void read_shim_status(int fd, struct run_result *res)
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

/* Whether a process of the namespace but pid 1 and us is running. */
static bool any_running(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	bool running = false;

	while (d != NULL && !running && (e = readdir(d)) != NULL) {
		int pid = atoi(e->d_name);
		running = pid > 1 && pid != getpid() && process_state(pid) == 'R';
	}
	if (d != NULL)
		closedir(d);
	return running;
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

int shim_tmp_entries(void)
{
	return count_entries("/tmp", false) + count_entries("/var/tmp", false);
}

void shim_left(struct sandbox_sweep *left, int tmp_before)
{
	/* Processes: the orphans go to pid 1 (bwrap's, or the init reaping
	 * here); they get the grader's grace to end by themselves, 200 ms, up
	 * to a second while one is still running. */
	for (int i = 0; i < 200; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if ((left->processes = count_entries("/proc", true)) == 0 ||
		    (i >= 40 && !any_running()))
			break;
		usleep(5000);
	}
	left->shm_files = count_entries("/dev/shm", false);
	left->tmp_files = shim_tmp_entries() - tmp_before;
	static const char *const ipc[] = { "/proc/sysvipc/shm", "/proc/sysvipc/sem",
					   "/proc/sysvipc/msg" };
	for (int i = 0; i < 3; i++)
		left->ipc_objects += count_lines(ipc[i]) - 1;
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
	int tmp_before = shim_tmp_entries();
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

	struct shim_report rep = { .status = status };
	shim_left(&rep.left, tmp_before);
	if (write(fd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
		return 127;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
