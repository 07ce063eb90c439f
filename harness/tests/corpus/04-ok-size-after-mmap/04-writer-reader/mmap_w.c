/*
 * (A correct variant: the file is sized after mmap, before the store.)
 *
 * mmap_w.c: write a struct STU into a file through a shared mapping, for an
 * unrelated process (mmap_r) to read (mmap无血缘关系进程间通信).
 *
 * Usage: mmap_w FILE [ID NAME SEX]    (defaults: 10 xiaoming m)
 *
 * The file is the meeting point: any process that maps it MAP_SHARED sees the
 * same page-cache pages, parent and child or not.
 *
 * Where this departs from the document's mmap_w.c, and why:
 *  - open and ftruncate are checked: an unchecked open passes -1 to ftruncate
 *    and mmap, and an unchecked ftruncate leaves a 0-byte file whose mapping
 *    raises SIGBUS at memcpy (pitfall 4).
 *  - usage goes to stderr with exit 2 (the document prints it on stdout).
 *  - the struct is zeroed first, so no stack garbage lands in its padding.
 *  - NAME over 19 bytes and a SEX that is not one character are refused.
 *  - the mapping is unmapped with exactly what mmap returned (pitfall 5).
 */
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

/* Digits only: "-1", "+3", " 7" and "2e3" are usage errors. */
static int parse_id(const char *s)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v > INT_MAX)
		usage();
	return (int)v;
}

int main(int argc, char *argv[])
{
	if (getopt(argc, argv, "+") != -1)
		usage();
	int nargs = argc - optind;
	if (nargs != 1 && nargs != 4)
		usage();
	const char *path = argv[optind];
	struct STU student;

	memset(&student, 0, sizeof(student));
	student.id = 10;
	strcpy(student.name, "xiaoming");
	student.sex = 'm';
	if (nargs == 4) {
		const char *name = argv[optind + 2], *sex = argv[optind + 3];
		student.id = parse_id(argv[optind + 1]);
		if (strlen(name) >= sizeof(student.name))
			errx(1, "NAME is %zu bytes; struct STU holds at most %zu",
			     strlen(name), sizeof(student.name) - 1);
		if (strlen(sex) != 1)
			errx(1, "SEX must be one character, not \"%s\"", sex);
		strcpy(student.name, name);
		student.sex = sex[0];
	}

	int fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd == -1)
		err(1, "open");
	struct STU *mm = mmap(NULL, sizeof(student), PROT_READ | PROT_WRITE,
			      MAP_SHARED, fd, 0);
	if (mm == MAP_FAILED)
		err(1, "mmap");
	if (ftruncate(fd, sizeof(student)) == -1)
		err(1, "ftruncate");
	if (close(fd) == -1)
		err(1, "close");

	memcpy(mm, &student, sizeof(student));

	if (munmap(mm, sizeof(student)) == -1)
		err(1, "munmap");
	return 0;
}
