/*
 * sweep.c: the sweep after each run of an own uid: every process of the uid
 * killed, its /dev/shm files, SysV IPC objects and temporary files removed
 * (see sandbox.h).
 *
 * The rule that matters most: kill(-1, ...) is called only in a helper that
 * has become the run uid and checked that it is not root.
 */
#define _GNU_SOURCE
#include "run/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/sys.h"
#include "run/uids.h"
#include "lang/lang.h"

/* The helper: kills every process of uid, having become uid, where kill(-1)
 * means "every process of mine".  It then tells whether any is left, without
 * a scan of /proc: with RLIMIT_NPROC at 2 it can fork only if it is the
 * uid's one process (zombies count until their parent, mostly the run layer,
 * reaps them).  (kill's own result cannot tell: kill(-1) succeeds when there
 * is any process at all, even one it may not signal.)  Exit 0: none left. */
static __attribute__((noreturn)) void kill_as(uid_t uid, gid_t gid)
{
	struct rlimit two = { 2, 2 };

	if (!become(uid, gid) || setrlimit(RLIMIT_NPROC, &two) == -1)
		_exit(3);
	kill(-1, SIGKILL);
	pid_t probe = vfork();
	if (probe == 0)
		_exit(0);
	if (probe > 0)
		waitpid(probe, NULL, 0);
	_exit(probe > 0 ? 0 : 1);
}

/* One round: whether the uid still had a process.  vfork: the helper only
 * makes system calls and exits, so the grader's memory is not copied for it
 * (every run is swept). */
static bool kill_round(uid_t uid, gid_t gid)
{
	int status;
	pid_t pid = vfork();

	if (pid == -1)
		die_errno(_("vfork (to kill the processes of uid %u)"), (unsigned)uid);
	if (pid == 0)
		kill_as(uid, gid);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		die(_("could not become uid %u to kill its processes"), (unsigned)uid);
	return WEXITSTATUS(status) == 1;
}

/* Kills every process of uid, never as root; returns the rounds in which
 * something was left. */
static int kill_uid(uid_t uid, gid_t gid)
{
	for (int round = 0; round < 200; round++) {
		if (!kill_round(uid, gid))
			return round;
		usleep(round < 10 ? 1000 : 10000);
	}
	die(_("the processes of uid %u would not die"), (unsigned)uid);
}

/* Whether dir changed since t: only then can the uid have left a file in it. */
static bool changed_since(const char *dir, const struct timespec *t)
{
	struct stat st;

	return stat(dir, &st) == 0 && (st.st_mtim.tv_sec > t->tv_sec ||
	       (st.st_mtim.tv_sec == t->tv_sec && st.st_mtim.tv_nsec >= t->tv_nsec));
}

/* Removes the files of uid directly in dir (and the trees below them). */
static int remove_files_of(const char *dir, uid_t uid)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 || st.st_uid != uid)
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		if (remove_tree(path) == 0)
			n++;
		free(path);
	}
	closedir(d);
	return n;
}

/* Removes the SysV objects of uid listed in /proc/sysvipc/KIND. */
static int remove_ipc_of(const char *kind, uid_t uid)
{
	char *path = xasprintf("/proc/sysvipc/%s", kind);
	FILE *f = fopen(path, "re");
	char line[512];
	int idcol = -1, uidcol = -1, cuidcol = -1, n = 0;

	free(path);
	if (f == NULL || fgets(line, sizeof(line), f) == NULL) {
		if (f != NULL)
			fclose(f);
		return 0;
	}
	/* The header names the columns: key, an id, ..., uid, gid, cuid, ... */
	int col = 0;
	for (char *save, *w = strtok_r(line, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save), col++) {
		if (col == 1)
			idcol = col;
		else if (strcmp(w, "uid") == 0)
			uidcol = col;
		else if (strcmp(w, "cuid") == 0)
			cuidcol = col;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		long v[32];
		int nv = 0;
		for (char *save, *w = strtok_r(line, " \t\n", &save); w && nv < 32;
		     w = strtok_r(NULL, " \t\n", &save))
			v[nv++] = strtol(w, NULL, 10);
		if (idcol < 0 || uidcol < 0 || idcol >= nv || uidcol >= nv)
			continue;
		if ((uid_t)v[uidcol] != uid && (cuidcol < 0 || cuidcol >= nv || (uid_t)v[cuidcol] != uid))
			continue;
		int id = (int)v[idcol], rc;
		if (strcmp(kind, "shm") == 0)
			rc = shmctl(id, IPC_RMID, NULL);
		else if (strcmp(kind, "sem") == 0)
			rc = semctl(id, 0, IPC_RMID);
		else
			rc = msgctl(id, IPC_RMID, NULL);
		if (rc == 0)
			n++;
	}
	fclose(f);
	return n;
}

void sandbox_sweep(const struct sandbox *sb, struct timespec since, struct sandbox_sweep *out)
{
	memset(out, 0, sizeof(*out));
	if (!sb->own_uid)
		return;
	out->processes = kill_uid(sb->uid, sb->gid);
	/* Under bwrap /tmp, /dev/shm and IPC were the run's own, gone with it. */
	if (sb->layer == SANDBOX_BWRAP)
		return;
	if (changed_since("/dev/shm", &since))
		out->shm_files = remove_files_of("/dev/shm", sb->uid);
	out->ipc_objects = remove_ipc_of("shm", sb->uid) + remove_ipc_of("sem", sb->uid) +
			   remove_ipc_of("msg", sb->uid);
	if (changed_since("/tmp", &since))
		out->tmp_files += remove_files_of("/tmp", sb->uid);
	if (changed_since("/var/tmp", &since))
		out->tmp_files += remove_files_of("/var/tmp", sb->uid);
}
