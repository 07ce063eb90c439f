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

#include "lang/lang.h"
#include "run/bwrap.h"
#include "run/mounts.h"
#include "run/run.h"
#include "run/spawn.h"
#include "run/sys.h"
#include "run/uids.h"
#include "run/userns.h"

/* By default posix as root (its own uid), the namespace layer as anybody
 * else where the kernel allows it: bwrap costs about 10 ms a run, twice the
 * grading time. */
enum sandbox_layer sandbox_preference = SANDBOX_DEFAULT;

bool sandbox_parse(const char *name, enum sandbox_layer *layer)
{
	static const char *const names[] = { "auto", "posix", "bwrap", "userns" };

	for (int i = 0; i < 4; i++)
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
	/* The namespaces were entered (or refused) with the work folder. */
	if (userns_active() && (want == SANDBOX_DEFAULT || want == SANDBOX_AUTO ||
				want == SANDBOX_USERNS)) {
		sb->layer = SANDBOX_USERNS;
		return;
	}
	if (want == SANDBOX_USERNS)
		die(_("--sandbox userns: the kernel refuses %s here (as root, or in a chroot or "
		      "a container without user namespaces, use --sandbox posix)"),
		    userns_refused() ? userns_refused() : _("user namespaces"));
	if ((want == SANDBOX_AUTO || want == SANDBOX_BWRAP) && n > 0) {
		sb->bwrap = find_bwrap(sb);
		if (sb->bwrap != NULL)
			sb->layer = SANDBOX_BWRAP;
		else if (want == SANDBOX_BWRAP)
			die(_("--sandbox bwrap: bubblewrap is not installed or cannot make namespaces "
			      "here (apt-get install bubblewrap; in a container, allow user "
			      "namespaces), or use --sandbox posix"));
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
	char uid[64] = "", lowered[300], refused[200] = "", limits[400] = "";
	bool ns = sb->layer == SANDBOX_USERNS;

	if (sb->own_uid)
		snprintf(uid, sizeof(uid), _(", own uid %u, no new privileges"), (unsigned)sb->uid);
	if (userns_refused() != NULL)
		snprintf(refused, sizeof(refused), _("; refused by the kernel: %s"), userns_refused());
	if (*run_lowered(sb, &run_default_limits, lowered, sizeof(lowered)) != '\0')
		snprintf(limits, sizeof(limits), _("; limits lowered to the hard limits: %s"),
			 lowered);
	/* TRANSLATORS: the layer, its uid, no network, then the list goes on. */
	snprintf(buf, size, _("%s%s%s, %s%s%s%s%s%s"),
		 sb->layer == SANDBOX_BWRAP ? _("bwrap (no network, read-only system, private /tmp "
						"and /dev/shm, pid namespace)")
		 : ns ? _("user namespace (read-only system and nothing else but the run's "
			  "folders; per run its own pid namespace, IPC, /proc, /tmp and /dev/shm)")
		 : _("posix"),
		 uid, sandbox_offline && sb->layer != SANDBOX_BWRAP ? _(", no network") : "",
		 _("rlimits, own session, subreaper"),
		 sb->own_uid ? _(", sweep of the uid's processes, /dev/shm, SysV IPC and "
				 "temporary files")
		 : ns ? _(", what a run leaves dies with its namespaces")
		 : _(", group kill (not root: no uid of its own)"),
		 sb->nhidden > SANDBOX_MAX_HIDDEN ? _("; submissions NOT hidden (no mount namespace)")
		 : sb->nhidden == 0 ? ""
		 : sb->layer != SANDBOX_POSIX || sb->own_uid ? _(", other submissions hidden")
		 : _("; other submissions not hidden (not root)"),
		 sandbox_offline || sb->layer == SANDBOX_BWRAP ? ""
		 : _("; network NOT isolated (no network namespace)"),
		 refused, limits);
	return buf;
}

void sandbox_give(const struct sandbox *sb, const char *path)
{
	if (!sb->own_uid)
		return;
	if (lchown(path, sb->uid, sb->gid) == -1 || chmod(path, 0700) == -1)
		die_errno(_("cannot hand %s to uid %u"), path, (unsigned)sb->uid);
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
		die_errno(_("cannot take %s back from uid %u"), path, (unsigned)sb->uid);
	}
	if (fstat(fd, &st) == -1 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) ||
	    fchown(fd, 0, 0) == -1 || fchmod(fd, mode) == -1)
		die_errno(_("cannot take %s back from uid %u"), path, (unsigned)sb->uid);
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
