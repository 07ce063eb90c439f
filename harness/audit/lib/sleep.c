/*
 * sleep.c: the audit library's wrappers of sleep usleep nanosleep: each is
 * recorded with the time asked for, and with MMAPAUDIT_SLEEP=skip returns 0
 * at once (a parent that sleeps instead of waiting then shows its mistake).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

#include "audit.h"

static void rec_sleep(const char *call, long long ret, int e, bool skipped, long long ns)
{
	struct rec r;

	if (!logging)
		return;
	rec_begin(&r, call, ret, ret == -1 ? e : 0, skipped);
	f_dec(&r, ns);
	rec_end(&r);
}

API unsigned sleep(unsigned seconds)
{
	int e = errno;
	unsigned ret = 0;

	if (!sleep_skip) {
		ret = REAL(sleep)(seconds);
		e = errno;
	}
	rec_sleep("sleep", ret, e, sleep_skip, seconds * 1000000000LL);
	errno = e;
	return ret;
}

API int usleep(useconds_t usec)
{
	int e = errno, ret = 0;

	if (!sleep_skip) {
		ret = REAL(usleep)(usec);
		e = errno;
	}
	rec_sleep("usleep", ret, e, sleep_skip, usec * 1000LL);
	errno = e;
	return ret;
}

API int nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct timespec t;
	struct iovec mine = { &t, sizeof t }, theirs = { (void *)req, sizeof t };
	/* req may be a bad pointer: copy it the way the kernel would. */
	bool known = req != NULL &&
		     process_vm_readv(getpid(), &mine, 1, &theirs, 1, 0) == (ssize_t)sizeof t;
	bool skip = sleep_skip && known && t.tv_sec >= 0 &&
		    t.tv_nsec >= 0 && t.tv_nsec < 1000000000;
	int e = errno, ret = 0;

	if (!skip) {
		ret = REAL(nanosleep)(req, rem);
		e = errno;
	}
	rec_sleep("nanosleep", ret, e, skip,
		  known ? t.tv_sec * 1000000000LL + t.tv_nsec : -1);
	errno = e;
	return ret;
}
