/*
 * sandbox.c: the POSIX layer (own uid, hidden folders, the sweep after each
 * run) and the bubblewrap layer (see sandbox.h).
 *
 * The rule that matters most: kill(-1, ...) is called only in a helper that
 * has become the run uid and checked that it is not root.
 */
#define _GNU_SOURCE
#include "run/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/sys.h"

/* Far above any uid a person or a Debian package gets. */
#define UID_BASE 2000000u
#define UID_COUNT 1000u
#define LOCK_DIR "/run/mmaplab"

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

/* Becomes uid:gid for good, and checks it; false if anything is off. */
static bool become(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1)
		return false;
	uid_t r, e, s;
	gid_t gr, ge, gs;
	return getresuid(&r, &e, &s) == 0 && getresgid(&gr, &ge, &gs) == 0 &&
	       r == uid && e == uid && s == uid && gr == gid && ge == gid && gs == gid &&
	       uid != 0 && getuid() != 0 && geteuid() != 0;
}

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
		die_errno("vfork (to kill the processes of uid %u)", (unsigned)uid);
	if (pid == 0)
		kill_as(uid, gid);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		die("could not become uid %u to kill its processes", (unsigned)uid);
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
	die("the processes of uid %u would not die", (unsigned)uid);
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

/* Whether this process may make a mount namespace (root, not in a locked
 * container): tried in a child, so nothing here changes. */
static bool can_unshare_mounts(void)
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

bool sandbox_work_in_memory(const char *dir)
{
	/* Private first: a mount made under a shared one would show outside.
	 * Where a container forbids any of it, the folder stays on disk.  256
	 * MiB: builds and audit logs (1 MiB each at most); what programs write
	 * goes to run folders, each a tmpfs of its own. */
	return geteuid() == 0 && unshare(CLONE_NEWNS) == 0 &&
	       mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	       mount("mmaplab-work", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=256m,mode=0700") == 0;
}

void sandbox_run_folder(const char *dir)
{
	char options[64];

	snprintf(options, sizeof(options), "size=%dm,nr_inodes=%d,mode=0700", RUN_FOLDER_MIB,
		 RUN_FOLDER_FILES);
	if (mount("mmaplab-run", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) == -1)
		die_errno("mount a tmpfs on %s", dir);
}

/* bubblewrap, if it is installed and can make namespaces here. */
static const char *find_bwrap(const struct sandbox *sb)
{
	static const char *const paths[] = { "/usr/bin/bwrap", "/usr/local/bin/bwrap" };

	for (size_t i = 0; i < 2; i++) {
		if (access(paths[i], X_OK) != 0)
			continue;
		pid_t pid = fork();
		int status;
		if (pid == -1)
			return NULL;
		if (pid == 0) {
			int null = open("/dev/null", O_RDWR);
			dup2(null, 1);
			dup2(null, 2);
			if (sb->own_uid && !become(sb->uid, sb->gid))
				_exit(3);
			execl(paths[i], "bwrap", "--unshare-all", "--die-with-parent", "--ro-bind",
			      "/", "/", "--dev", "/dev", "--proc", "/proc", "--", "/bin/true", (char *)NULL);
			_exit(127);
		}
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return paths[i];
	}
	return NULL;
}

/* In a lock file: its last holder swept the uid and let it go. */
#define CLEAN "clean\n"

/* Reserves a free uid (no passwd or group entry, not locked by another job:
 * its lock file locked) and sweeps what a holder that died left of it; the
 * search starts at a place of this process's own, the nth for the nth uid
 * it holds, so that graders side by side seldom meet. */
static void reserve_uid(struct sandbox *sb, unsigned nth)
{
	struct stat st;

	if (mkdir(LOCK_DIR, 0700) == -1 && errno != EEXIST)
		die_errno("mkdir %s", LOCK_DIR);
	if (lstat(LOCK_DIR, &st) == -1 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022) != 0)
		die("%s must be a folder of root's that nobody else can write", LOCK_DIR);
	unsigned start = ((unsigned)getpid() * 64 + nth) % UID_COUNT;
	for (unsigned i = 0; i < UID_COUNT; i++) {
		uid_t uid = UID_BASE + (start + i) % UID_COUNT;
		if (getpwuid(uid) != NULL || getgrgid((gid_t)uid) != NULL)
			continue;
		char path[64];
		snprintf(path, sizeof(path), LOCK_DIR "/uid-%u.lock", (unsigned)uid);
		int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd == -1)
			die_errno("open %s", path);
		if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
			close(fd);
			continue;
		}
		sb->uid = uid;
		sb->gid = (gid_t)uid;
		sb->lock_fd = fd;
		sb->own_uid = true;
		char mark[sizeof(CLEAN)] = "";
		if (pread(fd, mark, sizeof(mark) - 1, 0) == -1 || strcmp(mark, CLEAN) != 0) {
			struct sandbox_sweep leftovers;
			sandbox_sweep(sb, (struct timespec){ 0 }, &leftovers);
		}
		/* Not clean until we say so: a grader that dies leaves it unmarked. */
		if (ftruncate(fd, 0) == -1)
			die_errno("ftruncate %s", path);
		return;
	}
	die("no free uid in %u..%u: %u grading jobs at once?", UID_BASE, UID_BASE + UID_COUNT - 1,
	    UID_COUNT);
}

/* Lets a uid go once every run of it was swept: the next holder need not. */
static void release_uid(int lock_fd)
{
	if (pwrite(lock_fd, CLEAN, strlen(CLEAN), 0) == -1)
		die_errno("cannot mark a uid's lock file clean");
	close(lock_fd);
}

void sandbox_lend(const struct sandbox *sb, struct uid_pool *pool, struct sandbox *out)
{
	*out = *sb;
	out->lock_fd = -1;	/* the pool holds the locks */
	if (!sb->own_uid)
		return;
	size_t i = 0;
	while (i < pool->n && pool->lent[i])
		i++;
	if (i == SANDBOX_MAX_LENT)
		die("more than %d workers at once", SANDBOX_MAX_LENT);
	if (i == pool->n) {
		struct sandbox fresh = *sb;
		reserve_uid(&fresh, (unsigned)i + 1);
		pool->uid[i] = fresh.uid;
		pool->lock_fd[i] = fresh.lock_fd;
		pool->n++;
	}
	pool->lent[i] = true;
	out->uid = pool->uid[i];
	out->gid = (gid_t)pool->uid[i];
}

void sandbox_return(struct uid_pool *pool, uid_t uid)
{
	for (size_t i = 0; i < pool->n; i++)
		if (pool->uid[i] == uid)
			pool->lent[i] = false;
}

void sandbox_pool_close(struct uid_pool *pool)
{
	for (size_t i = 0; i < pool->n; i++)
		release_uid(pool->lock_fd[i]);
	pool->n = 0;
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

/* In the child: covers path with an empty read-only tmpfs.  The grader's
 * work folder, when it lies below path, is bound back where it was. */
static const char *hide(const char *path, const char *keep)
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

const char *sandbox_enter(const struct sandbox *sb)
{
	if (sb->own_uid && sb->layer == SANDBOX_POSIX && sb->nhidden <= SANDBOX_MAX_HIDDEN &&
	    sb->nhidden > 0) {
		if (unshare(CLONE_NEWNS) == -1)
			return "unshare";
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
			return "mount --make-rprivate /";
		for (size_t i = 0; i < sb->nhidden; i++) {
			const char *failed = hide(sb->hidden[i], sb->keep);
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

const char *const *sandbox_argv(const struct sandbox *sb, const char *const *argv,
				const char *dir, const char *const *binds)
{
	if (sb->layer != SANDBOX_BWRAP)
		return argv;
	size_t n = 0, nb = 0;
	while (argv[n] != NULL)
		n++;
	while (binds != NULL && binds[nb] != NULL)
		nb++;
	const char **v = xcalloc(32 + 3 * (nb + sb->nhidden) + n, sizeof(*v));
	size_t i = 0;
	const char *fixed[] = {
		sb->bwrap, "--unshare-all", "--die-with-parent", "--new-session",
		"--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
		"--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/run",
	};
	for (size_t k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++)
		v[i++] = fixed[k];
	for (size_t k = 0; k < sb->nhidden && k < SANDBOX_MAX_HIDDEN; k++) {
		v[i++] = "--tmpfs";
		v[i++] = sb->hidden[k];
	}
	/* The shim and the audit library, wherever the grader is installed. */
	v[i++] = "--ro-bind";
	v[i++] = sb->shim_dir;
	v[i++] = sb->shim_dir;
	for (size_t k = 0; k < nb; k++) {
		/* a leading '-' marks a folder seen read-only */
		bool ro = binds[k][0] == '-';
		v[i++] = ro ? "--ro-bind" : "--bind";
		v[i++] = binds[k] + ro;
		v[i++] = binds[k] + ro;
	}
	v[i++] = "--chdir";
	v[i++] = dir;
	v[i++] = "--";
	for (size_t k = 0; k < n; k++)
		v[i++] = argv[k];
	v[i] = NULL;
	return v;
}
