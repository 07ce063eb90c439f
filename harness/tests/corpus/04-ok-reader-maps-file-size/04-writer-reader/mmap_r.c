/* mmap_r.c: a correct variant: maps the whole file, as long as fstat says. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "stu.h"

#define die(c) do { fprintf(stderr, "mmap_r: %s: %s\n", c, strerror(errno)); exit(1); } while (0)

int main(int argc, char **argv)
{
	int i = 1;
	if (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--"))
			goto usage;
		i++;
	}
	if (argc - i != 1)
		goto usage;

	int fd = open(argv[i], O_RDONLY);
	if (fd < 0)
		die("open");
	struct stat sb;
	if (fstat(fd, &sb) < 0)
		die("fstat");
	if (sb.st_size < (off_t)sizeof(struct STU)) {
		fprintf(stderr, "mmap_r: %s holds %lld bytes, a struct STU needs %zu\n",
			argv[i], (long long)sb.st_size, sizeof(struct STU));
		exit(1);
	}
	size_t len = (size_t)sb.st_size;
	const char *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	const struct STU *s = (const struct STU *)m;
	printf("id=%d\tname=%.*s\t%c\n", s->id, (int)strnlen(s->name, sizeof s->name),
	       s->name, s->sex);
	if (munmap((void *)m, len) < 0)
		die("munmap");
	return 0;
usage:
	fputs("usage: mmap_r FILE\n", stderr);
	return 2;
}
