/*
 * files.c: the audit library's wrappers of the calls on files and mappings:
 * mmap munmap, open openat creat (and _FORTIFY_SOURCE's __open_2), the
 * mkstemp family, ftruncate, unlink unlinkat, and close (which keeps the
 * log's descriptor out of the program's hands).  Records: harness/audit/README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "audit.h"

/* The program's path if it can be read without faulting: after a real call,
 * anything but EFAULT proves the kernel read it; otherwise ask the kernel. */
static const char *readable(const char *p, bool performed, int ret, int err)
{
	if (performed)
		return ret == -1 && err == EFAULT ? NULL : p;
	if (syscall(SYS_faccessat, AT_FDCWD, p, F_OK) == -1 && errno == EFAULT)
		return NULL;
	return p;
}

/* The file an open descriptor refers to, as /proc shows it. */
static const char *fd_path(int fd, char *buf, size_t size)
{
	char link[32] = "/proc/self/fd/", digits[12];
	size_t n = strlen(link), i = 0;
	ssize_t len;

	do
		digits[i++] = (char)('0' + fd % 10);
	while ((fd /= 10) > 0);
	while (i > 0)
		link[n++] = digits[--i];
	link[n] = '\0';
	len = readlink(link, buf, size - 1);
	if (len < 0)
		return NULL;
	buf[len] = '\0';
	return buf;
}

/* --- mmap, munmap ------------------------------------------------------------ */

API void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	int e;
	bool inj = inject(K_MMAP, &e);
	void *p = MAP_FAILED;

	if (!inj) {
		p = REAL(mmap)(addr, len, prot, flags, fd, off);
		e = errno;
	}
	if (logging) {
		struct rec r;
		struct stat st;
		char path[PATH_CUT + 1];
		bool file = !(flags & MAP_ANONYMOUS) && fd >= 0 && fstat(fd, &st) == 0;

		rec_head(&r, "mmap");
		if (p == MAP_FAILED)
			f_dec(&r, -1);
		else	/* an address reads better in hex */
			f_hex(&r, (uintptr_t)p);
		f_dec(&r, p == MAP_FAILED ? e : 0);
		f_dec(&r, inj);
		f_hex(&r, (uintptr_t)addr);
		f_dec(&r, (long long)len);
		f_hex(&r, (unsigned)prot);
		f_hex(&r, (unsigned)flags);
		f_dec(&r, fd);
		f_dec(&r, off);
		f_dec(&r, file ? st.st_size : -1);
		f_oct(&r, file ? st.st_mode : 0);
		f_path(&r, file ? fd_path(fd, path, sizeof path) : NULL);
		rec_end(&r);
	}
	if (p != MAP_FAILED)
		memory_mapped(p, len);
	errno = e;
	return p;
}
API void *mmap64(void *, size_t, int, int, int, off_t) ALIAS(mmap);

API int munmap(void *addr, size_t len)
{
	int e, ret = -1;
	bool inj = inject(K_MUNMAP, &e);

	if (!inj) {
		ret = REAL(munmap)(addr, len);
		e = errno;
		if (ret == 0)
			memory_unmapped(addr, len);
	}
	if (logging) {
		struct rec r;
		rec_begin(&r, "munmap", ret, ret == -1 ? e : 0, inj);
		f_hex(&r, (uintptr_t)addr);
		f_dec(&r, (long long)len);
		rec_end(&r);
	}
	errno = e;
	return ret;
}

/* --- open, creat, mkstemp ------------------------------------------------------ */

static void rec_open(const char *call, int ret, int e, bool inj, int dirfd,
		     const char *path, int flags, mode_t mode)
{
	struct rec r;

	if (!logging)
		return;
	rec_begin(&r, call, ret, ret == -1 ? e : 0, inj);
	f_dec(&r, dirfd);
	f_path(&r, readable(path, !inj, ret, e));
	f_hex(&r, (unsigned)flags);
	f_oct(&r, mode);
	rec_end(&r);
}

static int do_open(const char *call, int dirfd, const char *path, int flags,
		   mode_t mode)
{
	int e, ret = -1;
	bool inj = inject(K_OPEN, &e);

	if (!inj) {
		ret = REAL(openat)(dirfd, path, flags, mode);
		e = errno;
	}
	rec_open(call, ret, e, inj, dirfd, path, flags, mode);
	errno = e;
	return ret;
}

/* The mode argument is there only when the flags ask for one. */
#define MODE_ARG(flags, last) ({ \
	mode_t m_ = 0; \
	if (__OPEN_NEEDS_MODE(flags)) { \
		va_list ap; \
		va_start(ap, last); \
		m_ = va_arg(ap, mode_t); \
		va_end(ap); \
	} \
	m_; })

API int open(const char *path, int flags, ...)
{
	return do_open("open", AT_FDCWD, path, flags, MODE_ARG(flags, flags));
}
API int open64(const char *, int, ...) ALIAS(open);

API int openat(int dirfd, const char *path, int flags, ...)
{
	return do_open("openat", dirfd, path, flags, MODE_ARG(flags, flags));
}
API int openat64(int, const char *, int, ...) ALIAS(openat);

API int creat(const char *path, mode_t mode)
{
	return do_open("creat", AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
API int creat64(const char *, mode_t) ALIAS(creat);

/* What -D_FORTIFY_SOURCE turns open() without a mode into. */
API int __open_2(const char *path, int flags)
{
	return do_open("open", AT_FDCWD, path, flags, 0);
}
API int __open64_2(const char *, int) ALIAS(__open_2);

API int __openat_2(int dirfd, const char *path, int flags)
{
	return do_open("openat", dirfd, path, flags, 0);
}
API int __openat64_2(int, const char *, int) ALIAS(__openat_2);

/* libc's mkstemp opens the file internally, out of our reach: wrap it whole.
 * It counts as an open for fault injection. */
API int mkostemps(char *tmpl, int suffixlen, int flags)
{
	int e, ret = -1;
	bool inj = inject(K_OPEN, &e);

	if (!inj) {
		ret = REAL(mkostemps)(tmpl, suffixlen, flags);
		e = errno;
	}
	rec_open("mkstemp", ret, e, inj, AT_FDCWD, tmpl,
		 (flags & ~O_ACCMODE) | O_RDWR | O_CREAT | O_EXCL, 0600);
	errno = e;
	return ret;
}
API int mkostemps64(char *, int, int) ALIAS(mkostemps);

API int mkstemp(char *tmpl)
{
	return mkostemps(tmpl, 0, 0);
}
API int mkstemp64(char *) ALIAS(mkstemp);

API int mkostemp(char *tmpl, int flags)
{
	return mkostemps(tmpl, 0, flags);
}
API int mkostemp64(char *, int) ALIAS(mkostemp);

API int mkstemps(char *tmpl, int suffixlen)
{
	return mkostemps(tmpl, suffixlen, 0);
}
API int mkstemps64(char *, int) ALIAS(mkstemps);

/* --- ftruncate, unlink --------------------------------------------------------- */

API int ftruncate(int fd, off_t length)
{
	int e, ret = -1;
	bool inj = inject(K_FTRUNCATE, &e);

	if (!inj) {
		ret = REAL(ftruncate)(fd, length);
		e = errno;
	}
	if (logging) {
		struct rec r;
		rec_begin(&r, "ftruncate", ret, ret == -1 ? e : 0, inj);
		f_dec(&r, fd);
		f_dec(&r, length);
		rec_end(&r);
	}
	errno = e;
	return ret;
}
API int ftruncate64(int, off_t) ALIAS(ftruncate);

static int do_unlink(const char *call, int dirfd, const char *path, int flags)
{
	int e, ret = -1;
	bool inj = inject(K_UNLINK, &e);

	if (!inj) {
		ret = REAL(unlinkat)(dirfd, path, flags);
		e = errno;
	}
	if (logging) {
		struct rec r;
		rec_begin(&r, call, ret, ret == -1 ? e : 0, inj);
		f_dec(&r, dirfd);
		f_path(&r, readable(path, !inj, ret, e));
		f_hex(&r, (unsigned)flags);
		rec_end(&r);
	}
	errno = e;
	return ret;
}

API int unlink(const char *path)
{
	return do_unlink("unlink", AT_FDCWD, path, 0);
}

API int unlinkat(int dirfd, const char *path, int flags)
{
	return do_unlink("unlinkat", dirfd, path, flags);
}

/* --- close: the log descriptor is not the program's ----------------------------- */
/* close_range, closefrom, dup2 and dup3 over it, or a raw close, need no
 * wrapper: rec_end notices, and the next record reopens the log. */

/* close() of the log descriptor fails with EBADF, as it would without the
 * library (the program never opened that number). */
API int close(int fd)
{
	int e, ret = -1;
	bool inj = inject(K_CLOSE, &e);
	struct stat st;

	if (!inj) {
		if (is_log(fd, &st)) {
			e = EBADF;
		} else {
			ret = REAL(close)(fd);
			e = errno;
		}
	}
	if (logging) {
		struct rec r;
		rec_begin(&r, "close", ret, ret == -1 ? e : 0, inj);
		f_dec(&r, fd);
		rec_end(&r);
	}
	errno = e;
	return ret;
}
