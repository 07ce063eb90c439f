/* mmap_r.c: a correct variant: fstat before mapping, fields printed one by one. */
#define _DEFAULT_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "stu.h"

int main(int argc, char *argv[])
{
	if (getopt(argc, argv, "+") != -1 || optind != argc - 1) {
		fprintf(stderr, "usage: mmap_r FILE\n");
		return 2;
	}
	int fd = open(argv[optind], O_RDONLY);
	if (fd == -1)
		err(1, "open");
	struct stat sb;
	if (fstat(fd, &sb) == -1)
		err(1, "fstat");
	if ((size_t)sb.st_size < sizeof(struct STU))
		errx(1, "%s: too short for a struct STU", argv[optind]);
	struct STU *s = mmap(NULL, sizeof *s, PROT_READ, MAP_SHARED, fd, 0);
	if (s == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	printf("id=%d\t", s->id);
	printf("name=%.20s\t", s->name);
	printf("%c\n", s->sex);
	if (munmap(s, sizeof *s) == -1)
		err(1, "munmap");
	return 0;
}
