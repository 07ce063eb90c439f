/*
 * reads.c: read pread readv preadv (and __read_chk, what _FORTIFY_SOURCE
 * makes of read): whether a program reads a file, and what that costs it.
 *
 * A record for every call would cost a program that reads one byte at a
 * time more than its reads do, so only the first call on each descriptor is
 * recorded (read FD COUNT OFFSET FSIZE FMODE); every call is counted, and a
 * reads record at exit gives the totals (CALLS BYTES MAXCOUNT).  Lab 06
 * proves with them that sum_mmap never reads its file and says what limits
 * sum_read.  A descriptor number used again after a close is not recorded
 * again; a process that ends by _exit or a signal writes no totals.  The
 * library's own reads (/proc/self/maps and smaps) are not the program's:
 * they pass through unseen (from_library).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "audit.h"

static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_pread)(int, void *, size_t, off_t);
static ssize_t (*real_readv)(int, const struct iovec *, int);
static ssize_t (*real_preadv)(int, const struct iovec *, int, off_t);
static ssize_t (*real_read_chk)(int, void *, size_t, size_t);

#define FD_SEEN 1024
static unsigned char seen[FD_SEEN];	/* descriptors recorded already */
static long long ncalls, nbytes, maxcount;

static void rec_totals(int status, void *arg)
{
	struct rec r;
	int e = errno;

	(void)status;
	(void)arg;
	if (logging && ncalls > 0) {
		rec_begin(&r, "reads", 0, 0, false);
		f_dec(&r, ncalls);
		f_dec(&r, nbytes);
		f_dec(&r, maxcount);
		rec_end(&r);
	}
	errno = e;
}

/* The addresses this library's code is loaded at. */
static uintptr_t lib_lo, lib_hi;

static int find_self(struct dl_phdr_info *info, size_t size, void *self)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0, at = (uintptr_t)self;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t from = info->dlpi_addr + ph->p_vaddr, to = from + ph->p_memsz;
		lo = from < lo ? from : lo;
		hi = to > hi ? to : hi;
	}
	if (at < lo || at >= hi)
		return 0;
	lib_lo = lo;
	lib_hi = hi;
	return 1;
}

bool from_library(const void *ret)
{
	return (uintptr_t)ret >= lib_lo && (uintptr_t)ret < lib_hi;
}

/* At load, or at a call made before it (from another library's start). */
__attribute__((constructor)) static void reads_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	dl_iterate_phdr(find_self, (void *)find_self);
	*(void **)&real_read = dlsym(RTLD_NEXT, "read");
	*(void **)&real_pread = dlsym(RTLD_NEXT, "pread");
	*(void **)&real_readv = dlsym(RTLD_NEXT, "readv");
	*(void **)&real_preadv = dlsym(RTLD_NEXT, "preadv");
	*(void **)&real_read_chk = dlsym(RTLD_NEXT, "__read_chk");
	on_exit(rec_totals, NULL);
}

/* Counts the call; records it if it is the first on fd.  errno is kept. */
static void note(const char *call, int fd, long long count, long long off, ssize_t ret, int e)
{
	ncalls++;
	if (ret > 0)
		nbytes += ret;
	if (count > maxcount)
		maxcount = count;
	if (!logging || fd < 0 || fd >= FD_SEEN || seen[fd])
		return;
	seen[fd] = 1;

	struct rec r;
	struct stat st;
	bool known = fstat(fd, &st) == 0;
	rec_begin(&r, call, ret, ret == -1 ? e : 0, false);
	f_dec(&r, fd);
	f_dec(&r, count);
	f_dec(&r, off);
	f_dec(&r, known ? st.st_size : -1);
	f_oct(&r, known ? st.st_mode : 0);
	rec_end(&r);
	errno = e;
}

/* The bytes an iovec asks for, once the kernel has read it without EFAULT. */
static long long iov_bytes(const struct iovec *iov, int n, ssize_t ret, int e)
{
	long long sum = 0;

	if (ret == -1 && (e == EFAULT || e == EINVAL))
		return -1;
	for (int i = 0; i < n; i++)
		sum += (long long)iov[i].iov_len;
	return sum;
}

API ssize_t read(int fd, void *buf, size_t count)
{
	if (real_read == NULL)
		reads_init();
	ssize_t ret = real_read(fd, buf, count);
	if (!from_library(__builtin_return_address(0)))
		note("read", fd, (long long)count, -1, ret, errno);
	return ret;
}

API ssize_t __read_chk(int fd, void *buf, size_t count, size_t buflen)
{
	if (real_read_chk == NULL)
		reads_init();
	ssize_t ret = real_read_chk(fd, buf, count, buflen);
	if (!from_library(__builtin_return_address(0)))
		note("read", fd, (long long)count, -1, ret, errno);
	return ret;
}

API ssize_t pread(int fd, void *buf, size_t count, off_t off)
{
	if (real_pread == NULL)
		reads_init();
	ssize_t ret = real_pread(fd, buf, count, off);
	if (!from_library(__builtin_return_address(0)))
		note("pread", fd, (long long)count, off, ret, errno);
	return ret;
}
API ssize_t pread64(int, void *, size_t, off_t) ALIAS(pread);

API ssize_t readv(int fd, const struct iovec *iov, int n)
{
	if (real_readv == NULL)
		reads_init();
	ssize_t ret = real_readv(fd, iov, n);
	int e = errno;
	if (!from_library(__builtin_return_address(0)))
		note("readv", fd, iov_bytes(iov, n, ret, e), -1, ret, e);
	return ret;
}

API ssize_t preadv(int fd, const struct iovec *iov, int n, off_t off)
{
	if (real_preadv == NULL)
		reads_init();
	ssize_t ret = real_preadv(fd, iov, n, off);
	int e = errno;
	if (!from_library(__builtin_return_address(0)))
		note("preadv", fd, iov_bytes(iov, n, ret, e), off, ret, e);
	return ret;
}
API ssize_t preadv64(int, const struct iovec *, int, off_t) ALIAS(preadv);
