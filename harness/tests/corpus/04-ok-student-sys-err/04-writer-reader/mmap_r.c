/* mmap_r.c: a correct variant in a student's style: lseek(SEEK_END) for the
 * size, the struct copied out of the mapping before munmap. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <unistd.h>
#include "stu.h"

void sys_err(const char *str)
{
	fprintf(stderr, "mmap_r: %s: %s\n", str, strerror(errno));
	exit(1);
}

int main(int argc, char *argv[])
{
	struct STU student, *mm;
	int fd, ret;
	off_t size;

	if (argc > 1 && strcmp(argv[1], "--") == 0) {
		argv++;
		argc--;
	} else if (argc > 1 && argv[1][0] == '-') {
		argc = 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: mmap_r FILE\n");
		exit(2);
	}
	fd = open(argv[1], O_RDONLY);
	if (fd == -1)
		sys_err("open");
	size = lseek(fd, 0, SEEK_END);
	if (size == -1)
		sys_err("lseek");
	if (size < (off_t)sizeof(struct STU)) {
		fprintf(stderr, "mmap_r: %s is too small (%ld bytes)\n", argv[1], (long)size);
		exit(1);
	}
	mm = mmap(NULL, sizeof(struct STU), PROT_READ, MAP_SHARED, fd, 0);
	if (mm == MAP_FAILED)
		sys_err("mmap");
	ret = close(fd);
	if (ret == -1)
		sys_err("close");
	memcpy(&student, mm, sizeof(student));
	ret = munmap(mm, sizeof(struct STU));
	if (ret == -1)
		sys_err("munmap");
	student.name[sizeof(student.name) - 1] = '\0';
	printf("id=%d\tname=%s\t%c\n", student.id, student.name, student.sex);
	return 0;
}
