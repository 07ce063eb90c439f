/*
 * sys.c: the grader's wrappers around calls that must not fail (see sys.h).
 */
#define _GNU_SOURCE
#include "run/sys.h"
#include "lang/lang.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "grade: WHAT[: reason]", and exit 2. */
__attribute__((noreturn)) static void vdie(int err, const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("grade: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (err != 0)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	exit(EXIT_GRADER);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(0, fmt, ap);
}

void die_errno(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vdie(e, fmt, ap);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		die(_("out of memory (%zu bytes)"), n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		die(_("out of memory (%zu x %zu bytes)"), n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		die(_("out of memory (%zu bytes)"), n);
	return p;
}

char *xstrdup(const char *s)
{
	return strcpy(xmalloc(strlen(s) + 1), s);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	return s;
}

bool fork_again(int *tries)
{
	if (errno != EAGAIN || *tries >= 1500)
		return false;
	(*tries)++;
	usleep(20000);
	errno = EAGAIN;
	return true;
}

pid_t xfork(void)
{
	int tries = 0;
	pid_t pid;

	while ((pid = fork()) == -1 && fork_again(&tries))
		;
	return pid;
}

char *make_temp_dir(const char *parent, const char *prefix)
{
	if (parent == NULL)
		parent = getenv("TMPDIR");
	char *path = xasprintf("%s/%s.XXXXXX", parent && *parent ? parent : "/tmp", prefix);

	if (mkdtemp(path) == NULL)
		die_errno("mkdtemp %s", path);
	return path;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	/* A directory the program made unwritable or unsearchable is opened up
	 * first (chmod on the directory itself, never through a link). */
	if (type == FTW_DNR) {
		/* Unreadable even after open_up(): it was inside another one
		 * that open_up() could not enter.  Open it up and go in now. */
		chmod(path, S_IRWXU);
		return remove_tree(path);
	}
	if (type == FTW_DP)
		return rmdir(path) == -1 && errno != ENOENT ? -1 : 0;
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}

static int open_up(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D || type == FTW_DNR)
		chmod(path, (st->st_mode & 07777) | S_IRWXU);
	return 0;
}

int remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	nftw(path, open_up, 32, FTW_PHYS);
	return nftw(path, remove_one, 32, FTW_PHYS | FTW_DEPTH);
}

char *read_file(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;

	if (fd == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	char *buf = xmalloc(max + 1);
	size_t n = 0;
	ssize_t r;
	while (n < max && (r = read(fd, buf + n, max - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static bool write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w <= 0)
			return false;
		off += (size_t)w;
	}
	return true;
}

int write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd == -1)
		return -1;
	bool ok = write_all(fd, data, len);
	int e = errno;
	if (close(fd) == -1 && ok) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		unlink(path);
		errno = e;
	}
	return ok ? 0 : -1;
}

int write_file_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);

	if (fd == -1) {
		free(tmp);
		return -1;
	}
	bool ok = write_all(fd, data, len) && fchmod(fd, 0644) == 0 && fsync(fd) == 0;
	if (close(fd) == -1 || !ok || rename(tmp, path) == -1) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	free(tmp);
	return 0;
}

int copy_file(int from_dir, const char *name, int to_dir, size_t max)
{
	int in = openat(from_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;

	if (in == -1)
		return -1;
	if (fstat(in, &st) == -1) {
		close(in);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(in);
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		return -1;
	}
	int out = openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (out == -1) {
		close(in);
		return -1;
	}
	char buf[65536];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	close(in);
	if (close(out) == -1)
		rc = -1;
	return rc;
}
