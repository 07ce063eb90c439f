/*
 * hash.c: FNV-1a hashes of a student's lab sources and of the grader binary
 * (to know which records a run can keep), and each student's seed.
 */
#define _GNU_SOURCE
#include "class/hash.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang/lang.h"
#include "run/sys.h"

uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	while (n-- > 0) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t fnv_fd(uint64_t h, int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		h = fnv(h, buf, (size_t)n);
	return n == 0 ? h : fnv(h, "read error", 10);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .c and .h of one lab folder, in name order.  The build copies only
 * regular files; a link or anything else is hashed by what it is, so that
 * turning it into a file counts as a change. */
static uint64_t hash_lab(uint64_t h, const char *sub, const char *lab)
{
	char *path = xasprintf("%s/%s", sub, lab);
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd == -1 ? NULL : fdopendir(dfd);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;

	free(path);
	h = fnv(h, lab, strlen(lab) + 1);
	if (d == NULL) {
		if (dfd != -1)
			close(dfd);
		return fnv(h, "no folder", 9);
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] != '.' && len > 2 && e->d_name[len - 2] == '.' &&
		    (e->d_name[len - 1] == 'c' || e->d_name[len - 1] == 'h')) {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	}
	if (n > 1)	/* qsort must not be given NULL, even for nothing */
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		h = fnv(h, names[i], strlen(names[i]) + 1);
		int fd = openat(dirfd(d), names[i], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd != -1 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			h = fnv_fd(fnv(h, "file", 4), fd);
		else if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) == 0)
			h = fnv(h, &st.st_mode, sizeof(st.st_mode));
		if (fd != -1)
			close(fd);
		free(names[i]);
	}
	free(names);
	closedir(d);
	return h;
}

char *source_hash(const struct class *c, const char *sub)
{
	uint64_t h = FNV_START;

	for (size_t i = 0; i < c->o->nlabs; i++)
		h = hash_lab(h, sub, c->o->labs[i]->id);
	return xasprintf("%016llx", (unsigned long long)h);
}

/* A rebuilt grader may grade differently: its results are not kept; nor
 * those of another language (the reports are in it). */
char *grader_hash(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		die_errno("open /proc/self/exe");
	uint64_t h = fnv_fd(FNV_START, fd);
	close(fd);
	return xasprintf("%016llx %s", (unsigned long long)h, lang_name());
}

/* The student's seed: from the class's and the id, the same on every run. */
unsigned student_seed(unsigned class_seed, const char *id)
{
	uint64_t x = fnv(FNV_START ^ class_seed, id, strlen(id));

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (unsigned)x;
}
