/* mmap_r.c: a correct variant: a read-only MAP_PRIVATE mapping (it only
 * reads, so private and shared show the same bytes of the file). */
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
	if (getopt(argc, argv, "+") != -1 || argc - optind != 1) {
		fputs("usage: mmap_r FILE\n", stderr);
		exit(2);
	}
	int fd = open(argv[optind], O_RDONLY);
	if (fd < 0)
		err(1, "open");
	struct stat st;
	if (fstat(fd, &st) < 0)
		err(1, "fstat");
	if (st.st_size < (off_t)sizeof(struct STU))
		errx(1, "%s is shorter than a struct STU", argv[optind]);
	const struct STU *s = mmap(NULL, sizeof *s, PROT_READ, MAP_PRIVATE, fd, 0);
	if (s == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) < 0)
		err(1, "close");
	printf("id=%d\tname=%.*s\t%c\n", s->id, (int)sizeof s->name, s->name, s->sex);
	if (munmap((void *)s, sizeof *s) < 0)
		err(1, "munmap");
	return 0;
}
