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

	/*
	 * TODO 1: open FILE read-only; fstat it and refuse (errx, exit 1) a file
	 *         shorter than sizeof(struct STU): past its end there is garbage,
	 *         or for an empty file SIGBUS (pitfall 4).
	 * TODO 2: mmap sizeof(struct STU) bytes PROT_READ, MAP_SHARED; compare with
	 *         MAP_FAILED; close the descriptor (pitfall 3).
	 * TODO 3: print "id=%d\tname=%s\t%c\n" (name: at most its 20 bytes), then
	 *         munmap exactly what you mapped (pitfall 5).
	 * Check every call: on failure err(1, "CALL") prints "mmap_r: CALL: reason".
	 */
	errx(1, "not implemented: read a struct STU from %s", path);
	return 0;
}
