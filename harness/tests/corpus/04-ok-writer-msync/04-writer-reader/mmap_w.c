/* mmap_w.c: a correct variant: msync(MS_SYNC) before munmap. */
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
	struct STU s = { .id = 10, .name = "xiaoming", .sex = 'm' };
	if (n == 4) {
		const char *id = argv[optind + 1], *name = argv[optind + 2], *sex = argv[optind + 3];
		char *end;
		if (*id < '0' || *id > '9')
			usage();
		errno = 0;
		long v = strtol(id, &end, 10);
		if (*end || errno || v > INT_MAX)
			usage();
		if (strlen(name) > 19)
			errx(1, "NAME is longer than 19 bytes");
		if (strlen(sex) != 1)
			errx(1, "SEX is not one character");
		memset(&s, 0, sizeof s);
		s.id = (int)v;
		memcpy(s.name, name, strlen(name));
		s.sex = *sex;
	}
	int fd = open(argv[optind], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		err(1, "open");
	if (ftruncate(fd, sizeof s) == -1)
		err(1, "ftruncate");
	struct STU *m = mmap(NULL, sizeof s, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	*m = s;
	if (msync(m, sizeof s, MS_SYNC) == -1)
		err(1, "msync");
	if (munmap(m, sizeof s) == -1)
		err(1, "munmap");
	return 0;
}
