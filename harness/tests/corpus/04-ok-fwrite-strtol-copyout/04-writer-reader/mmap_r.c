/* mmap_r.c: a correct variant: the struct is copied out and unmapped before
 * the line is built and written with one fwrite. */
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

static void fail(const char *call)
{
	fprintf(stderr, "mmap_r: %s: %s\n", call, strerror(errno));
	exit(1);
}

int main(int argc, char *argv[])
{
	int k = 1;
	if (argc > k && strcmp(argv[k], "--") == 0)
		k++;
	else if (argc > k && argv[k][0] == '-')
		argc = -1;
	if (argc - k != 1) {
		fprintf(stderr, "usage: mmap_r FILE\n");
		return 2;
	}
	int fd = open(argv[k], O_RDONLY);
	if (fd == -1)
		fail("open");
	struct stat sb;
	if (fstat(fd, &sb) == -1)
		fail("fstat");
	if (sb.st_size < (off_t)sizeof(struct STU)) {
		fprintf(stderr, "mmap_r: %s: %lld bytes is too short for a student\n",
			argv[k], (long long)sb.st_size);
		return 1;
	}
	struct STU *map = mmap(NULL, sizeof(struct STU), PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		fail("mmap");
	if (close(fd) == -1)
		fail("close");
	struct STU copy = *map;
	if (munmap(map, sizeof(struct STU)) == -1)
		fail("munmap");

	char line[64];
	int n = snprintf(line, sizeof line, "id=%d\tname=%.*s\t%c\n", copy.id,
			 (int)strnlen(copy.name, sizeof copy.name), copy.name, copy.sex);
	if (fwrite(line, 1, (size_t)n, stdout) != (size_t)n)
		fail("fwrite");
	return 0;
}
