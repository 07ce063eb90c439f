/*
 * mounts.c: mount namespaces and tmpfs: the work folder and run folders in
 * memory, and the folders hidden from programs (see mounts.h, sandbox.h).
 */
#define _GNU_SOURCE
#include "run/mounts.h"
#include "run/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/sys.h"
#include "run/userns.h"
#include "lang/lang.h"

/* Whether this process may make a mount namespace (root, not in a locked
 * container): tried in a child, so nothing here changes. */
bool can_unshare_mounts(void)
{
	pid_t pid = fork();
	int status;

	if (pid == -1)
		return false;
	if (pid == 0)
		_exit(unshare(CLONE_NEWNS) == 0 ? 0 : 1);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool sandbox_offline;

/* As root, a network namespace made once for the grading's programs (an
 * empty one: loopback down), which each run enters before its uid drop;
 * the grader itself stays where it was, so that the uid lookups (NSS may
 * ask a directory server) still work.  -1: none. */
static int offline_fd = -1;

static void make_offline(void)
{
	int host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	if (offline_fd != -1 || host == -1)
		goto done;
	if (unshare(CLONE_NEWNET) == 0) {
		offline_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (setns(host, CLONE_NEWNET) == -1)
			die_errno("setns back to the grader's network namespace");
		sandbox_offline = offline_fd != -1;
	}
done:
	if (host != -1)
		close(host);
}

bool sandbox_go_offline(void)
{
	return offline_fd == -1 || setns(offline_fd, CLONE_NEWNET) == 0;
}

bool sandbox_work_in_memory(const char *dir)
{
	/* An ordinary user's namespaces first: in them it mounts as root does. */
	bool root = geteuid() == 0;
	enum sandbox_layer want = sandbox_preference;
	bool ns = !root && (want == SANDBOX_DEFAULT || want == SANDBOX_AUTO ||
			    want == SANDBOX_USERNS) && userns_enter();

	/* Private first: a mount made under a shared one would show outside.
	 * Where a container forbids any of it, the folder stays on disk.  256
	 * MiB: builds and audit logs (1 MiB each at most); what programs write
	 * goes to run folders, each a tmpfs of its own. */
	if ((!root && !ns) || unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		return false;
	if (root)
		make_offline();
	bool mounted = mount("mmaplab-work", dir, "tmpfs", MS_NOSUID | MS_NODEV,
			     "size=256m,mode=0700") == 0;
	/* The namespace layer's program root lives in the work folder, which
	 * must go with one unmount, never by a walk through its binds. */
	if (ns && !mounted)
		die_errno("mount a tmpfs on %s in the grader's user namespace", dir);
	return mounted;
}

const char *sandbox_work_parent(void)
{
	const char *tmpdir = getenv("TMPDIR");
	struct stat st;

	/* Root's run uids pass through the work folder's parent: a TMPDIR only
	 * its owner may enter (libpam-tmpdir gives one to every user) would
	 * stop every run. */
	if (geteuid() == 0 && tmpdir != NULL && *tmpdir != '\0' &&
	    stat(tmpdir, &st) == 0 && (st.st_mode & S_IXOTH) == 0)
		return "/tmp";
	return NULL;
}

void sandbox_run_folder(const char *dir)
{
	char options[64];

	snprintf(options, sizeof(options), "size=%dm,nr_inodes=%d,mode=0700", RUN_FOLDER_MIB,
		 RUN_FOLDER_FILES);
	if (mount("mmaplab-run", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) == -1)
		die_errno(_("mount a tmpfs on %s"), dir);
}

/* In the child: covers path with an empty read-only tmpfs.  The grader's
 * work folder, when it lies below path, is bound back where it was. */
const char *hide_folder(const char *path, const char *keep)
{
	size_t n = strlen(path);
	bool inside = keep != NULL && strncmp(keep, path, n) == 0 && keep[n] == '/';
	unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	int fd = -1;

	if (inside && (fd = open(keep, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return "open the work folder";
	if (mount("mmaplab-hidden", path, "tmpfs", flags, "size=64k,mode=0711") == -1)
		return "mount tmpfs over a hidden folder";
	if (inside) {
		char sub[4096], src[64];
		for (const char *p = keep + n + 1;; p++) {
			p += strcspn(p, "/");
			size_t len = (size_t)(p - keep);
			if (len >= sizeof(sub))
				return "the work folder's path is too long";
			memcpy(sub, keep, len);
			sub[len] = '\0';
			if (mkdir(sub, 0711) == -1 && errno != EEXIST)
				return "mkdir under a hidden folder";
			if (*p == '\0')
				break;
		}
		snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
		if (mount(src, keep, NULL, MS_BIND | MS_REC, NULL) == -1)
			return "bind the work folder";
		close(fd);
	}
	if (mount(NULL, path, NULL, MS_REMOUNT | MS_RDONLY | flags, "size=64k,mode=0711") == -1)
		return "remount a hidden folder read-only";
	return NULL;
}
