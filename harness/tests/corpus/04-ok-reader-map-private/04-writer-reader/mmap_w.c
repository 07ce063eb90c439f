/* mmap_w.c: a correct variant: the mapping is zeroed, then each field is
 * copied in with memcpy; getopt and err(3). */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "stu.h"

#define USAGE "usage: mmap_w FILE [ID NAME SEX]\n"

int main(int argc, char *argv[])
{
	int c;
	while ((c = getopt(argc, argv, "+")) != -1) {
		fputs(USAGE, stderr);
		return 2;
	}
	int n = argc - optind;
	char **a = &argv[optind];
	if (n != 1 && n != 4) {
		fputs(USAGE, stderr);
		return 2;
	}
	int id = 10;
	const char *name = "xiaoming", *sex = "m";
	if (n == 4) {
		const char *s = a[1];
		char *end;
		if (*s < '0' || *s > '9') {
			fprintf(stderr, "mmap_w: ID must be digits: %s\n" USAGE, s);
			return 2;
		}
		errno = 0;
		long v = strtol(s, &end, 10);
		if (*end || errno || v > INT_MAX) {
			fprintf(stderr, "mmap_w: bad ID %s\n" USAGE, s);
			return 2;
		}
		id = (int)v;
		name = a[2];
		sex = a[3];
	}
	size_t nlen = strlen(name);
	if (nlen > 19)
		errx(1, "NAME \"%s\" does not fit (19 bytes at most)", name);
	if (strlen(sex) != 1)
		errx(1, "SEX \"%s\" is not one character", sex);

	int fd = open(a[0], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		err(1, "open");
	if (ftruncate(fd, sizeof(struct STU)) < 0)
		err(1, "ftruncate");
	struct STU *p = mmap(NULL, sizeof(struct STU), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) < 0)
		err(1, "close");
	memset(p, 0, sizeof *p);
	memcpy(&p->id, &id, sizeof id);
	memcpy(p->name, name, nlen);
	memcpy(&p->sex, sex, 1);
	if (munmap(p, sizeof(struct STU)) < 0)
		err(1, "munmap");
	return 0;
}
