/* mmap_r.c: a correct variant: a NAME without a NUL in its 20 bytes is
 * refused, the rest printed with %s. */
#define _DEFAULT_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "stu.h"

int main(int argc, char *argv[])
{
	opterr = 0;
	if (getopt(argc, argv, "+") != -1 || argc - optind != 1) {
		fprintf(stderr, "usage: mmap_r FILE\n");
		exit(2);
	}
	const char *file = argv[optind];
	int fd = open(file, O_RDONLY);
	if (fd == -1)
		err(1, "open");
	struct stat st;
	if (fstat(fd, &st) == -1)
		err(1, "fstat");
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size < sizeof(struct STU))
		errx(1, "%s is not a file holding a struct STU", file);
	struct STU *s = mmap(NULL, sizeof *s, PROT_READ, MAP_SHARED, fd, 0);
	if (s == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	if (memchr(s->name, '\0', sizeof s->name) == NULL)
		errx(1, "%s: NAME is not terminated", file);
	printf("id=%d\tname=%s\t%c\n", s->id, s->name, s->sex);
	if (munmap(s, sizeof *s) == -1)
		err(1, "munmap");
	return 0;
}
