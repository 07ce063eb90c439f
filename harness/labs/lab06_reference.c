/*
 * lab06_reference.c: the grader's own FNV-1a 64-bit hash, and the reference
 * programs lab 06's speed is measured against.
 *
 * Compiled into the grader, this file is only fnv1a64(), which computes the
 * hash every answer is compared with.  The grader also carries its text
 * (lab06_speed.c) and compiles it, with LAB06_REFERENCE_MAIN defined and the
 * student's own flags, into the reference program:
 *
 *   sum_ref read FILE    what sum_read does: read() into a 128 KiB buffer
 *   sum_ref mmap FILE    what sum_mmap does: one mmap of the whole file
 *
 * It is the grader's, not solutions/06-read-vs-mmap/: the handout and the
 * Gradescope zip carry no solutions/, and a reference that differed between
 * an instructor's checkout and a student's would give two scores.
 */
#include <stddef.h>
#include <stdint.h>

#ifndef LAB06_REFERENCE_MAIN
#include "labs/lab06_speed.h"
#endif

uint64_t fnv1a64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#ifdef LAB06_REFERENCE_MAIN
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	static unsigned char buf[128 * 1024];
	uint64_t h = 0xcbf29ce484222325ULL, n = 0;

	if (argc != 3 || (strcmp(argv[1], "read") != 0 && strcmp(argv[1], "mmap") != 0))
		errx(2, "usage: sum_ref read|mmap FILE");
	int fd = open(argv[2], O_RDONLY);
	struct stat st;
	if (fd == -1 || fstat(fd, &st) == -1)
		err(1, "%s", argv[2]);
	if (argv[1][0] == 'r') {
		ssize_t got;
		while ((got = read(fd, buf, sizeof(buf))) != 0) {
			if (got == -1 && errno == EINTR)
				continue;
			if (got == -1)
				err(1, "read");
			h = fnv1a64(h, buf, (size_t)got);
			n += (uint64_t)got;
		}
	} else if ((n = (uint64_t)st.st_size) > 0) {
		void *p = mmap(NULL, (size_t)n, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			err(1, "mmap");
		h = fnv1a64(h, p, (size_t)n);
		if (munmap(p, (size_t)n) == -1)
			err(1, "munmap");
	}
	if (close(fd) == -1)
		err(1, "close");
	printf("%016" PRIx64 " %" PRIu64 "\n", h, n);
	return 0;
}
#endif
