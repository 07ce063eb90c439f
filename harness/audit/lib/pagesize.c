/*
 * pagesize.c: sysconf(_SC_PAGESIZE) and getpagesize(), recorded (the
 * program asked for the page size), and answered with MMAPAUDIT_PAGESIZE
 * when it is set.
 *
 * On x86 a page is 4096 bytes, so a program that rounds an mmap offset with
 * a literal 4096 behaves exactly as one that asks: only a different answer
 * tells them apart.  Told 16384 (the page of some ARM machines), a program
 * that asks rounds to 16 KiB, which this kernel accepts as well; one with
 * 4096 written in it does not (lab 05).  Only the program's own calls are
 * answered: libc's internal ones (malloc's) do not come through here.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"

static long (*real_sysconf)(int);
static int (*real_getpagesize)(void);
static long told = -1;			/* -1: not read yet; 0: the real answer */

/* MMAPAUDIT_PAGESIZE: a power of two, a multiple of the real page, 1 MiB
 * at most; anything else is a config record and the real answer. */
static long page_told(long real_page)
{
	if (told >= 0)
		return told;
	const char *v = getenv("MMAPAUDIT_PAGESIZE");
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;
	told = 0;
	if (v == NULL || *v == '\0')
		return told;
	if (*v >= '0' && *v <= '9' && *end == '\0' && n >= real_page && n <= (1L << 20) &&
	    (n & (n - 1)) == 0 && n % real_page == 0) {
		told = n;
	} else if (logging) {
		struct rec r;
		char text[64] = "MMAPAUDIT_PAGESIZE=";
		strncat(text, v, sizeof(text) - strlen(text) - 1);
		rec_begin(&r, "config", -1, EINVAL, false);
		f_path(&r, text);
		rec_end(&r);
	}
	return told;
}

static long answer(const char *call, long real_page)
{
	int e = errno;
	long fake = page_told(real_page), v = fake > 0 ? fake : real_page;

	if (logging) {
		struct rec r;
		rec_begin(&r, call, v, 0, fake > 0);
		rec_end(&r);
	}
	errno = e;
	return v;
}

API long sysconf(int name)
{
	if (real_sysconf == NULL)
		*(void **)&real_sysconf = dlsym(RTLD_NEXT, "sysconf");
	long v = real_sysconf(name);
	/* The library's own question (memory.c) gets the real answer, unseen. */
	if (name != _SC_PAGESIZE || v <= 0 || from_library(__builtin_return_address(0)))
		return v;
	return answer("sysconf", v);
}

API int getpagesize(void)
{
	if (real_getpagesize == NULL)
		*(void **)&real_getpagesize = dlsym(RTLD_NEXT, "getpagesize");
	int v = real_getpagesize();
	return from_library(__builtin_return_address(0)) ? v : (int)answer("getpagesize", v);
}
