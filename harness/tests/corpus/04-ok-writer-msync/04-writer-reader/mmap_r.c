/* mmap_r.c: a correct variant: the line is built with snprintf and written
 * with write(2). */
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
	if (getopt(argc, argv, "+") != -1 || argc - optind != 1) {
		fprintf(stderr, "usage: mmap_r FILE\n");
		return 2;
	}
	int fd = open(argv[optind], O_RDONLY);
	if (fd == -1)
		err(1, "open");
	struct stat st;
	if (fstat(fd, &st) == -1)
		err(1, "fstat");
	if (st.st_size < (off_t)sizeof(struct STU))
		errx(1, "%s: %lld bytes, a struct STU is %zu", argv[optind],
		     (long long)st.st_size, sizeof(struct STU));
	const struct STU *s = mmap(NULL, sizeof *s, PROT_READ, MAP_SHARED, fd, 0);
	if (s == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	char line[80];
	int len = snprintf(line, sizeof line, "id=%d\tname=%.*s\t%c\n", s->id,
			   (int)strnlen(s->name, sizeof s->name), s->name, s->sex);
	if (write(STDOUT_FILENO, line, (size_t)len) != len)
		err(1, "write");
	if (munmap((void *)s, sizeof *s) == -1)
		err(1, "munmap");
	return 0;
}
