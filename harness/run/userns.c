/*
 * userns.c: the namespace layer of an ordinary user: the namespaces made once
 * per grading, the program root, and a run's own mounts inside it (see
 * userns.h).
 */
#define _GNU_SOURCE
#include "run/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang/lang.h"
#include "run/sys.h"

static bool entered;
static char refused[160];

/* Writes text to a /proc/self file (the uid and gid maps). */
static bool put(const char *file, const char *text)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	bool ok = fd != -1 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);

	if (fd != -1)
		close(fd);
	return ok;
}

/* The uid and gid of the user, mapped to themselves in every namespace. */
static uid_t user_uid;
static gid_t user_gid;

bool userns_map(void)
{
	char map[64];

	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)user_uid, (unsigned)user_uid);
	if (!put("/proc/self/uid_map", map) || !put("/proc/self/setgroups", "deny"))
		return false;
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned)user_gid, (unsigned)user_gid);
	return put("/proc/self/gid_map", map);
}

bool userns_enter(void)
{
	if (entered || geteuid() == 0)
		return entered;
	user_uid = getuid();
	user_gid = getgid();
	/* The network alone may be refused (a container's policy): then the
	 * rest still holds, and the report says what is missing. */
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) == -1) {
		int e = errno;
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) == -1) {
			snprintf(refused, sizeof(refused), _("user namespaces (%s)"), strerror(errno));
			return false;
		}
		snprintf(refused, sizeof(refused), _("a network namespace (%s)"), strerror(e));
	} else {
		sandbox_offline = true;
	}
	if (!userns_map())
		die_errno("cannot map uid %u in its user namespace", (unsigned)user_uid);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
		die_errno("mount --make-rprivate / in a user namespace");
	entered = true;
	return true;
}

bool userns_active(void)
{
	return entered;
}

const char *userns_refused(void)
{
	return refused[0] != '\0' ? refused : NULL;
}

/* The root programs see (read-only), and the same tmpfs writable, where
 * the grader makes the mount points. */
static char root[4200], root_rw[4200];

/* Makes the folders of path below base (path absolute); false on error. */
static bool make_dirs(const char *base, const char *path, bool last)
{
	char p[8500];
	size_t b = strlen(base);

	if (snprintf(p, sizeof(p), "%s%s", base, path) >= (int)sizeof(p))
		return false;
	for (char *s = p + b + 1;; s++) {
		s += strcspn(s, "/");
		bool end = *s == '\0';
		if (end && !last)
			return true;
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			return false;
		if (end)
			return true;
		*s = '/';
	}
}

/* Binds src onto dst (made beforehand), read-only if asked, submounts too. */
static bool bind(const char *src, const char *dst, bool ro)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID };

	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) == -1)
		return false;
	return !ro || mount_setattr(AT_FDCWD, dst, AT_RECURSIVE, &attr, sizeof(attr)) == 0;
}

/* A mount point for src at path below base: a folder, or an empty file. */
static bool make_point(const char *base, const char *src)
{
	struct stat st;
	char p[8500];

	if (stat(src, &st) == -1)
		return false;
	if (S_ISDIR(st.st_mode))
		return make_dirs(base, src, true);
	if (!make_dirs(base, src, false))
		return false;
	snprintf(p, sizeof(p), "%s%s", base, src);
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1)
		return false;
	close(fd);
	return true;
}

/* What of the system programs see: folders, or the links merged /usr has. */
static const char *const system_dirs[] = {
	"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc",
};
static const char *const devices[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
};

/* A system folder's place in the root: a folder to bind it on later, or
 * the link itself. */
static void system_point(const char *dir)
{
	char to[8500], link[4096];
	struct stat st;

	if (lstat(dir, &st) == -1)
		return;	/* this system has none */
	snprintf(to, sizeof(to), "%s%s", root_rw, dir);
	if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(dir, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		if (n <= 0 || symlink(link, to) == -1)
			die_errno("cannot copy the link %s into the program root", dir);
	} else if (S_ISDIR(st.st_mode) && mkdir(to, 0755) == -1) {
		die_errno("mkdir %s", to);
	}
}

void userns_make_root(const struct sandbox *sb)
{
	char want[4200], p[8500];

	if (sb->keep == NULL)
		die("the namespace layer needs the grader's work folder");
	snprintf(want, sizeof(want), "%s/.root", sb->keep);
	if (strcmp(want, root) == 0)
		return;
	snprintf(root, sizeof(root), "%s", want);
	snprintf(root_rw, sizeof(root_rw), "%s/.rootfs", sb->keep);
	if (mkdir(root_rw, 0755) == -1 || mkdir(root, 0755) == -1 ||
	    mount("mmaplab-root", root_rw, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") == -1)
		die_errno("cannot make the program root %s", root_rw);
	for (size_t i = 0; i < sizeof(system_dirs) / sizeof(system_dirs[0]); i++)
		system_point(system_dirs[i]);
	static const char *const empty[] = { "/proc", "/tmp", "/dev", "/dev/shm" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s%s", root_rw, empty[i]);
		if (mkdir(p, i == 2 ? 0755 : 01777) == -1)
			die_errno("mkdir %s", p);
	}
	static const char *const fd_links[][2] = {
		{ "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
	};
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s%s", root_rw, fd_links[i][1]);
		if (symlink(fd_links[i][0], p) == -1)
			die_errno("symlink %s", p);
	}
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (!make_point(root_rw, devices[i]))
			die_errno("cannot make %s in the program root", devices[i]);
	/* The root itself read-only; then what is bound into it. */
	if (!bind(root_rw, root, true))
		die_errno("cannot bind %s read-only", root_rw);
	for (size_t i = 0; i < sizeof(system_dirs) / sizeof(system_dirs[0]); i++) {
		struct stat st;
		snprintf(p, sizeof(p), "%s%s", root, system_dirs[i]);
		if (lstat(system_dirs[i], &st) == 0 && S_ISDIR(st.st_mode) &&
		    !bind(system_dirs[i], p, true))
			die_errno("cannot bind %s into the program root", system_dirs[i]);
	}
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", root, devices[i]);
		if (mount(devices[i], p, NULL, MS_BIND, NULL) == -1)
			die_errno("cannot bind %s into the program root", devices[i]);
	}
	/* A hidden folder inside the system (a project under /usr/local)
	 * gets an empty tmpfs over it. */
	for (size_t i = 0; i < sb->nhidden && i < SANDBOX_MAX_HIDDEN; i++) {
		struct stat st;
		snprintf(p, sizeof(p), "%s%s", root, sb->hidden[i]);
		if (stat(p, &st) == 0 && mount("mmaplab-hidden", p, "tmpfs", MS_NOSUID | MS_NODEV |
					       MS_NOEXEC | MS_RDONLY, "size=4k,mode=0755") == -1)
			die_errno("cannot hide %s from programs", sb->hidden[i]);
	}
}

/* A tmpfs of the run's own, as big as its folder. */
static bool scratch(const char *path)
{
	char options[64];

	snprintf(options, sizeof(options), "size=%dm,nr_inodes=%d,mode=1777", RUN_FOLDER_MIB,
		 RUN_FOLDER_FILES);
	return mount("mmaplab-tmp", path, "tmpfs", MS_NOSUID | MS_NODEV, options) == 0;
}

/* Binds src (made a mount point below the run's /tmp or the root's tmpfs)
 * into the root; false on error. */
static bool bind_in(const char *src, bool ro)
{
	char p[8500];

	if (!make_point(strncmp(src, "/tmp/", 5) == 0 ? root : root_rw, src))
		return false;
	snprintf(p, sizeof(p), "%s%s", root, src);
	return bind(src, p, ro);
}

const char *userns_enter_run(const struct sandbox *sb, const char *const *binds)
{
	char p[8500];

	/* /tmp first: what is bound below it is bound into the run's own. */
	snprintf(p, sizeof(p), "%s/tmp", root);
	if (!scratch(p))
		return "mount a tmpfs on /tmp";
	snprintf(p, sizeof(p), "%s/dev/shm", root);
	if (!scratch(p))
		return "mount a tmpfs on /dev/shm";
	snprintf(p, sizeof(p), "%s/proc", root);
	if (mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == -1)
		return "mount /proc";
	/* The grader's tools (the audit library), and the run's folders. */
	if (sb->shim_dir[0] != '\0' && !bind_in(sb->shim_dir, true))
		return "bind the grader's tools into the program root";
	for (size_t i = 0; binds != NULL && binds[i] != NULL; i++)
		if (!bind_in(binds[i] + (binds[i][0] == '-'), binds[i][0] == '-'))
			return "bind a folder into the program root";
	if (chroot(root) == -1)
		return "chroot";
	if (chdir("/") == -1)
		return "chdir /";
	return NULL;
}
