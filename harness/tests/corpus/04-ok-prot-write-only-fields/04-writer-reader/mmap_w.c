/* mmap_w.c: a correct variant: PROT_WRITE only (the writer never reads the
 * mapping), the struct stored field by field. */
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

static void usage(void)
{
	fprintf(stderr, "usage: mmap_w FILE [ID NAME SEX]\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	if (getopt(argc, argv, "+") != -1)
		usage();
	int n = argc - optind;
	if (n != 1 && n != 4)
		usage();
	char **a = argv + optind;
	int id = 10;
	const char *name = "xiaoming";
	char sex = 'm';
	if (n == 4) {
		char *end;
		if (a[1][0] < '0' || a[1][0] > '9')
			usage();
		errno = 0;
		long v = strtol(a[1], &end, 10);
		if (*end || errno || v > INT_MAX)
			usage();
		id = (int)v;
		name = a[2];
		if (strlen(name) > sizeof(((struct STU *)0)->name) - 1)
			errx(1, "NAME \"%s\" is longer than 19 bytes", name);
		if (strlen(a[3]) != 1)
			errx(1, "SEX must be a single character");
		sex = a[3][0];
	}

	int fd = open(a[0], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		err(1, "open");
	if (ftruncate(fd, sizeof(struct STU)) == -1)
		err(1, "ftruncate");
	struct STU *s = mmap(NULL, sizeof(struct STU), PROT_WRITE, MAP_SHARED, fd, 0);
	if (s == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	s->id = id;
	strncpy(s->name, name, sizeof s->name);
	s->sex = sex;
	if (munmap(s, sizeof(struct STU)) == -1)
		err(1, "munmap");
	return 0;
}
