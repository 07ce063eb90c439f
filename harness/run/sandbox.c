/*
 * sandbox.c: the sandbox as a whole: which layer, what it hides, what it
 * says it is, handing folders to the run uid and back, and what the child
 * does before exec (see sandbox.h).  uids.c holds the run uids and their
 * pool, sweep.c the sweep after each run, mounts.c the mount namespaces and
 * hidden folders, bwrap.c the bubblewrap layer.
 */
#define _GNU_SOURCE
#include "run/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/bwrap.h"
#include "run/mounts.h"
#include "run/sys.h"
#include "run/uids.h"

/* posix by default: bwrap costs about 10 ms a run, twice the grading time. */
enum sandbox_layer sandbox_preference = SANDBOX_POSIX;

bool sandbox_parse(const char *name, enum sandbox_layer *layer)
{
	static const char *const names[] = { "auto", "posix", "bwrap" };

	for (int i = 0; i < 3; i++)
		if (strcmp(name, names[i]) == 0) {
			*layer = (enum sandbox_layer)i;
			return true;
		}
	return false;
}

void sandbox_open(struct sandbox *sb, enum sandbox_layer want)
{
	memset(sb, 0, sizeof(*sb));
	sb->lock_fd = -1;
	if (geteuid() == 0) {
		reserve_uid(sb, 0);
	}
	sb->layer = SANDBOX_POSIX;
	ssize_t n = readlink("/proc/self/exe", sb->shim, sizeof(sb->shim) - 1);
	sb->shim[n > 0 ? n : 0] = '\0';
	snprintf(sb->shim_dir, sizeof(sb->shim_dir), "%s", sb->shim);
	char *slash = strrchr(sb->shim_dir, '/');
	if (slash != NULL && slash != sb->shim_dir)
		*slash = '\0';
	if (want != SANDBOX_POSIX && n > 0) {
		sb->bwrap = find_bwrap(sb);
		if (sb->bwrap != NULL)
			sb->layer = SANDBOX_BWRAP;
		else if (want == SANDBOX_BWRAP)
			die("--sandbox bwrap: bubblewrap is not installed or cannot make namespaces "
			    "here (apt-get install bubblewrap; in a container, allow user "
			    "namespaces), or use --sandbox posix");
	}
	/* Root hides folders with a mount namespace of its own; bwrap with --tmpfs. */
	if (sb->own_uid && sb->layer == SANDBOX_POSIX && !can_unshare_mounts())
		sb->nhidden = SANDBOX_MAX_HIDDEN + 1;	/* means: cannot hide */
}

void sandbox_close(struct sandbox *sb)
{
	if (sb->lock_fd >= 0)
		release_uid(sb->lock_fd);
	sb->lock_fd = -1;
}

void sandbox_use_shim(struct sandbox *sb, const char *dir)
{
	const char *slash = strrchr(sb->shim, '/');
	char name[256];

	snprintf(name, sizeof(name), "%s", slash != NULL ? slash + 1 : "grade");
	snprintf(sb->shim, sizeof(sb->shim), "%s/%s", dir, name);
	snprintf(sb->shim_dir, sizeof(sb->shim_dir), "%s", dir);
}

void sandbox_keep(struct sandbox *sb, const char *workdir)
{
	sb->keep = workdir;
}

void sandbox_hide(struct sandbox *sb, const char *path)
{
	if (sb->nhidden < SANDBOX_MAX_HIDDEN)
		sb->hidden[sb->nhidden++] = path;
}

const char *sandbox_describe(const struct sandbox *sb, char *buf, size_t size)
{
	char uid[64] = "";

	if (sb->own_uid)
		snprintf(uid, sizeof(uid), ", own uid %u, no new privileges", (unsigned)sb->uid);
	snprintf(buf, size, "%s%s, rlimits, own session, subreaper%s%s",
		 sb->layer == SANDBOX_BWRAP ? "bwrap (no network, read-only system, private /tmp "
					      "and /dev/shm, pid namespace)" : "posix",
		 uid, sb->own_uid ? ", sweep of the uid's processes, /dev/shm, SysV IPC and "
				    "temporary files" : ", group kill (not root: no uid of its own)",
		 sb->nhidden > SANDBOX_MAX_HIDDEN ? "; submissions NOT hidden (no mount namespace)"
		 : sb->nhidden == 0 ? ""
		 : sb->layer == SANDBOX_BWRAP || sb->own_uid ? ", other submissions hidden"
		 : "; other submissions not hidden (not root)");
	return buf;
}

void sandbox_give(const struct sandbox *sb, const char *path)
{
	if (!sb->own_uid)
		return;
	if (lchown(path, sb->uid, sb->gid) == -1 || chmod(path, 0700) == -1)
		die_errno("cannot hand %s to uid %u", path, (unsigned)sb->uid);
}

void sandbox_take(const struct sandbox *sb, const char *path, mode_t mode)
{
	int fd;
	struct stat st;

	if (!sb->own_uid)
		return;
	/* Through a descriptor opened without following links: the uid owned
	 * the folder until now and may have planted one. */
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) == -1) {
		if (errno == ENOENT)
			return;
		die_errno("cannot take %s back from uid %u", path, (unsigned)sb->uid);
	}
	if (fstat(fd, &st) == -1 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) ||
	    fchown(fd, 0, 0) == -1 || fchmod(fd, mode) == -1)
		die_errno("cannot take %s back from uid %u", path, (unsigned)sb->uid);
	close(fd);
}

const char *sandbox_enter(const struct sandbox *sb)
{
	if (sb->own_uid && sb->layer == SANDBOX_POSIX && sb->nhidden <= SANDBOX_MAX_HIDDEN &&
	    sb->nhidden > 0) {
		if (unshare(CLONE_NEWNS) == -1)
			return "unshare";
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
			return "mount --make-rprivate /";
		for (size_t i = 0; i < sb->nhidden; i++) {
			const char *failed = hide_folder(sb->hidden[i], sb->keep);
			if (failed != NULL)
				return failed;
		}
	}
	if (sb->own_uid && !become(sb->uid, sb->gid))
		return "setuid";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return "prctl(PR_SET_NO_NEW_PRIVS)";
	return NULL;
}
