/*
 * streams.c: the audit library's wrappers of the stdio calls that open, close
 * or remove a file: fopen, fclose, remove.  libc makes their system calls
 * internally, out of reach of the open, close and unlink wrappers, so a
 * program that writes fopen + fileno + mmap, fclose, or remove() for its
 * temporary file would show none of them.  They are recorded under their own
 * names with the fields of open, close and unlink, and counted (and failed,
 * MMAPAUDIT_FAIL) as those kinds.  Records: harness/audit/README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "audit.h"

/* The open(2) flags an fopen mode string stands for ("r", "w+", "ax", "re"...),
 * copied with process_vm_readv: a bad pointer costs the record, never a
 * crash in here.  -1 if unreadable or not a mode. */
static int mode_flags(const char *mode)
{
	char m[8] = { 0 };
	struct iovec mine = { m, sizeof m - 1 }, theirs = { (void *)mode, sizeof m - 1 };
	int flags;

	if (mode == NULL || process_vm_readv(getpid(), &mine, 1, &theirs, 1, 0) < 1)
		return -1;
	switch (m[0]) {
	case 'r': flags = O_RDONLY; break;
	case 'w': flags = O_WRONLY | O_CREAT | O_TRUNC; break;
	case 'a': flags = O_WRONLY | O_CREAT | O_APPEND; break;
	default: return -1;
	}
	for (size_t i = 1; i < sizeof m && m[i] != '\0' && m[i] != ','; i++)
		switch (m[i]) {
		case '+': flags = (flags & ~O_ACCMODE) | O_RDWR; break;
		case 'x': flags |= O_EXCL; break;
		case 'e': flags |= O_CLOEXEC; break;
		default: break;		/* 'b', 'm', 'c': no open flag */
		}
	return flags;
}

/* The path if the kernel can read it (see files.c's readable()). */
static const char *path_if_readable(const char *p)
{
	if (p == NULL || (syscall(SYS_faccessat, AT_FDCWD, p, F_OK) == -1 && errno == EFAULT))
		return NULL;
	return p;
}

API FILE *fopen(const char *path, const char *mode)
{
	int e;
	bool inj = inject(K_OPEN, &e);
	FILE *f = NULL;

	if (!inj) {
		f = REAL(fopen)(path, mode);
		e = errno;
	}
	if (logging) {
		struct rec r;
		int flags = mode_flags(mode);
		rec_begin(&r, "fopen", f ? fileno(f) : -1, f ? 0 : e, inj);
		f_dec(&r, AT_FDCWD);
		f_path(&r, path_if_readable(path));
		f_hex(&r, (unsigned)(flags == -1 ? 0 : flags));
		f_oct(&r, flags & O_CREAT ? 0666 : 0);
		rec_end(&r);
	}
	errno = e;
	return f;
}
API FILE *fopen64(const char *, const char *) ALIAS(fopen);

/* An injected failure leaves the stream open: the call was not made. */
API int fclose(FILE *f)
{
	int e, ret = EOF;
	bool inj = inject(K_CLOSE, &e);
	int fd = f != NULL ? fileno(f) : -1;

	if (!inj) {
		ret = REAL(fclose)(f);
		e = errno;
	}
	if (logging) {
		struct rec r;
		rec_begin(&r, "fclose", ret == EOF ? -1 : 0, ret == EOF ? e : 0, inj);
		f_dec(&r, fd);
		rec_end(&r);
	}
	errno = e;
	return ret;
}

API int remove(const char *path)
{
	int e, ret = -1;
	bool inj = inject(K_UNLINK, &e);

	if (!inj) {
		ret = REAL(remove)(path);
		e = errno;
	}
	if (logging) {
		struct rec r;
		rec_begin(&r, "remove", ret, ret == -1 ? e : 0, inj);
		f_dec(&r, AT_FDCWD);
		f_path(&r, inj ? path_if_readable(path) : ret == -1 && e == EFAULT ? NULL : path);
		f_hex(&r, 0);
		rec_end(&r);
	}
	errno = e;
	return ret;
}
