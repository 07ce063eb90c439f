/*
 * uids.c: the run uids root grades under: becoming one, reserving one (a
 * lock file per uid), and the pool lent to workers (see uids.h, sandbox.h).
 */
#define _GNU_SOURCE
#include "run/uids.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/sys.h"
#include "lang/lang.h"

/* Far above any uid a person or a Debian package gets. */
#define UID_BASE 2000000u
#define UID_COUNT 1000u
#define LOCK_DIR "/run/mmaplab"

/* Becomes uid:gid for good, and checks it; false if anything is off. */
bool become(uid_t uid, gid_t gid)
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

/* In a lock file: its last holder swept the uid and let it go. */
#define CLEAN "clean\n"

/* Reserves a free uid (no passwd or group entry, not locked by another job:
 * its lock file locked) and sweeps what a holder that died left of it; the
 * search starts at a place of this process's own, the nth for the nth uid
 * it holds, so that graders side by side seldom meet. */
void reserve_uid(struct sandbox *sb, unsigned nth)
{
	struct stat st;

	if (mkdir(LOCK_DIR, 0700) == -1 && errno != EEXIST)
		die_errno("mkdir %s", LOCK_DIR);
	if (lstat(LOCK_DIR, &st) == -1 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022) != 0)
		die(_("%s must be a folder of root's that nobody else can write"), LOCK_DIR);
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
	die(_("no free uid in %u..%u: %u grading jobs at once?"), UID_BASE, UID_BASE + UID_COUNT - 1,
	    UID_COUNT);
}

/* Lets a uid go once every run of it was swept: the next holder need not. */
void release_uid(int lock_fd)
{
	if (pwrite(lock_fd, CLEAN, strlen(CLEAN), 0) == -1)
		die_errno("%s", _("cannot mark a uid's lock file clean"));
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
		die(_("more than %d workers at once"), SANDBOX_MAX_LENT);
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
