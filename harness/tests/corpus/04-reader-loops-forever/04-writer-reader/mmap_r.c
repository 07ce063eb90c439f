/*
 * mmap_r.c: read the struct STU that mmap_w left in a file, through a
 * read-only shared mapping.
 *
 * Usage: mmap_r FILE
 *
 * Prints "id=ID\tname=NAME\tSEX".  The file comes from another program, so
 * it is not trusted: it must be at least sizeof(struct STU) bytes, and NAME
 * is printed only up to its 20 bytes even if it lacks a terminating NUL.
 *
 * Where this departs from the document's mmap_r.c, and why:
 *  - the file's size is checked before mapping it: mapping 28 bytes of a
 *    shorter file succeeds; past its end, the rest of its last page reads as
 *    zeros (a garbage student), and an empty file has no page at all: the
 *    first read raises SIGBUS (pitfall 4).
 *  - usage goes to stderr with exit 2 (the document prints it and exits -1).
 *  - no sleep(2) and a checked munmap.
 */
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
		fprintf(stderr, "usage: mmap_r FILE\n");
		exit(2);
	}
	const char *path = argv[optind];

	int fd = open(path, O_RDONLY);
	if (fd == -1)
		err(1, "open");
	struct stat st;
	if (fstat(fd, &st) == -1)
		err(1, "fstat");
	if (st.st_size < (off_t)sizeof(struct STU))
		errx(1, "%s is %lld bytes, shorter than struct STU (%zu bytes)",
		     path, (long long)st.st_size, sizeof(struct STU));
	/* PROT_READ matches O_RDONLY: a shared mapping may not ask for more
	 * than the descriptor allows (pitfall 2). */
	const struct STU *mm = mmap(NULL, sizeof(struct STU), PROT_READ,
				    MAP_SHARED, fd, 0);
	if (mm == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");

	for (;;) {	/* MISTAKE: prints for ever, as the document's reader does */
		printf("id=%d\tname=%.*s\t%c\n", mm->id, (int)sizeof(mm->name), mm->name,
		       mm->sex);
		sleep(1);
	}

	if (munmap((void *)mm, sizeof(struct STU)) == -1)
		err(1, "munmap");
	return 0;
}
