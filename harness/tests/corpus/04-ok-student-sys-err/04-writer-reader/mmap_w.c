/* mmap_w.c: a correct variant in a student's style. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include "stu.h"

void sys_err(const char *str)
{
	fprintf(stderr, "mmap_w: %s: %s\n", str, strerror(errno));
	exit(1);
}

int all_digits(const char *s)
{
	int i;
	for (i = 0; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return i > 0 && i < 10;
}

int main(int argc, char *argv[])
{
	struct STU student = {10, "xiaoming", 'm'};
	struct STU *mm;
	int fd, ret;

	if (argc > 1 && strcmp(argv[1], "--") == 0) {
		argv++;
		argc--;
	} else if (argc > 1 && argv[1][0] == '-') {
		argc = 0;
	}
	if (argc != 2 && argc != 5) {
		fprintf(stderr, "usage: mmap_w FILE [ID NAME SEX]\n");
		exit(2);
	}
	if (argc == 5) {
		if (!all_digits(argv[2])) {
			fprintf(stderr, "usage: mmap_w FILE [ID NAME SEX]\n");
			exit(2);
		}
		if (strlen(argv[3]) > 19 || strlen(argv[4]) != 1) {
			fprintf(stderr, "mmap_w: NAME is 19 bytes at most, SEX one character\n");
			exit(1);
		}
		memset(&student, 0, sizeof(student));
		student.id = atoi(argv[2]);
		strcpy(student.name, argv[3]);
		student.sex = argv[4][0];
	}

	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		sys_err("open");
	ret = ftruncate(fd, sizeof(student));
	if (ret == -1)
		sys_err("ftruncate");
	mm = mmap(NULL, sizeof(student), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mm == MAP_FAILED)
		sys_err("mmap");
	ret = close(fd);
	if (ret == -1)
		sys_err("close");
	memcpy(mm, &student, sizeof(student));
	ret = munmap(mm, sizeof(student));
	if (ret == -1)
		sys_err("munmap");
	return 0;
}
