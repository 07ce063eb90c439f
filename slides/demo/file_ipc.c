/*
 * file_ipc.c: lab 04's struct STU passed through a plain file, with pwrite
 * and pread instead of a mapping (文件进程间通信).
 *
 * Usage: file_ipc FILE               read the record and print it as mmap_r does
 *        file_ipc FILE ID NAME SEX   write the record, as mmap_w does
 *
 * Both this program and mmap_w/mmap_r go through the same page cache, so
 * each reads what the other wrote: mmap saves the system call and the copy,
 * not the file.
 */
#define _DEFAULT_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../solutions/04-writer-reader/stu.h"

int main(int argc, char *argv[])
{
	struct STU s;
	int fd;

	if (argc != 2 && argc != 5) {
		fprintf(stderr, "usage: file_ipc FILE [ID NAME SEX]\n");
		exit(2);
	}
	if (argc == 2) {
		if ((fd = open(argv[1], O_RDONLY)) == -1)
			err(1, "open");
		/* One system call copies the record out of the page cache. */
		ssize_t n = pread(fd, &s, sizeof(s), 0);
		if (n == -1)
			err(1, "pread");
		if (n != (ssize_t)sizeof(s))
			errx(1, "%s: short record (%zd bytes)", argv[1], n);
		printf("id=%d\tname=%.*s\t%c\n", s.id, (int)sizeof(s.name), s.name, s.sex);
	} else {
		memset(&s, 0, sizeof(s));
		s.id = atoi(argv[2]);
		strncpy(s.name, argv[3], sizeof(s.name) - 1);
		s.sex = argv[4][0];
		if ((fd = open(argv[1], O_WRONLY | O_CREAT, 0644)) == -1)
			err(1, "open");
		/* One system call copies the record into the page cache. */
		ssize_t n = pwrite(fd, &s, sizeof(s), 0);
		if (n == -1)
			err(1, "pwrite");
		if (n != (ssize_t)sizeof(s))
			errx(1, "%s: short write (%zd bytes)", argv[1], n);
	}
	if (close(fd) == -1)
		err(1, "close");
	return 0;
}
