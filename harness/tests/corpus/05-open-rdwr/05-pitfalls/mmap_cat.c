/*
 * mmap_cat.c: print a range of a file's bytes through a read-only mapping,
 * the document's seven pitfalls (总结: 使用mmap时务必注意以下事项) in one program.
 *
 * Usage: mmap_cat FILE [OFFSET [LENGTH]]    (defaults: 0, to the end of FILE)
 *
 * Prints bytes OFFSET .. OFFSET+LENGTH-1 of FILE (fewer where FILE ends
 * first), NUL bytes included.  Each pitfall is a line of this program:
 *  1, 2  open O_RDONLY and map PROT_READ: making a mapping reads the file,
 *        and a MAP_SHARED mapping may not ask for more than the open mode,
 *        so it works on a file nobody may write.
 *  3     close the descriptor right after mmap: the mapping outlives it.
 *  4     an empty file, or LENGTH 0, has nothing to map: a 0-length mmap is
 *        EINVAL; and no byte past the end of the file is touched (SIGBUS).
 *  5     munmap gets what mmap returned, not the pointer to OFFSET.
 *  6     mmap's offset is OFFSET rounded down to a page (sysconf, not 4096),
 *        and the mapping covers only the pages the range needs.
 *  7     mmap's result is compared with MAP_FAILED.
 */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: mmap_cat FILE [OFFSET [LENGTH]]\n");
	exit(2);
}

/* Digits only ("-7", "+3", " 7", "12x" and "" are usage errors); a value too
 * large for 64 bits stands for "as far as there is". */
static uint64_t parse_number(const char *s, const char *what)
{
	char *end;

	errno = 0;
	uintmax_t v = strtoumax(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0') {
		fprintf(stderr, "mmap_cat: %s must be decimal digits, not \"%s\"\n", what, s);
		usage();
	}
	return errno == ERANGE || v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

/* BEGIN SOLUTION */
/* write() may take fewer bytes than asked (a pipe): go on until all are out. */
static void write_all(const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			err(1, "write");
		p += n;
		len -= (size_t)n;
	}
}
/* END SOLUTION */

int main(int argc, char *argv[])
{
	if (getopt(argc, argv, "+") != -1 || argc - optind < 1 || argc - optind > 3)
		usage();
	const char *path = argv[optind];
	uint64_t offset = argc - optind > 1 ? parse_number(argv[optind + 1], "OFFSET") : 0;
	uint64_t length = argc - optind > 2 ? parse_number(argv[optind + 2], "LENGTH") : UINT64_MAX;

	/* BEGIN SOLUTION */
	/* Pitfalls 1 and 2: read-only, so a PROT_READ mapping is all it may have. */
	int fd = open(path, O_RDWR);	/* MISTAKE: it only reads the file */
	if (fd == -1)
		err(1, "open");
	struct stat st;
	if (fstat(fd, &st) == -1)
		err(1, "fstat");
	uint64_t size = (uint64_t)st.st_size;

	/* Pitfall 4: nothing to print is not a 0-length mapping (EINVAL). */
	if (length == 0 || (size == 0 && offset == 0)) {
		if (close(fd) == -1)
			err(1, "close");
		return 0;
	}
	if (offset >= size)
		errx(1, "OFFSET %" PRIu64 " is at or past the end of %s (%" PRIu64 " bytes)",
		     offset, path, size);
	/* Pitfall 4 again: never a byte past the end of the file. */
	uint64_t len = length < size - offset ? length : size - offset;

	/* Pitfall 6: mmap's offset must be a multiple of the page size, which is
	 * the machine's (16 KiB on some ARM systems), not a literal 4096. */
	long page = sysconf(_SC_PAGESIZE);
	if (page == -1)
		err(1, "sysconf");
	uint64_t start = offset - offset % (uint64_t)page;
	size_t maplen = (size_t)(offset - start + len);
	char *map = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd, (off_t)start);
	if (map == MAP_FAILED)		/* pitfall 7: never NULL */
		err(1, "mmap");
	if (close(fd) == -1)		/* pitfall 3: the mapping keeps the file */
		err(1, "close");

	write_all(map + (offset - start), (size_t)len);

	/* Pitfall 5: the address mmap returned, not map + (offset - start). */
	if (munmap(map, maplen) == -1)
		err(1, "munmap");
	/* END SOLUTION */
	//> /*
	//>  * TODO 1: open FILE read-only and fstat it for its size (pitfalls 1, 2).
	//>  * TODO 2: an empty file or LENGTH 0: print nothing and exit 0 -- a
	//>  *         0-length mmap is EINVAL (pitfall 4).  An OFFSET at or past
	//>  *         the end of FILE: errx(1, ...).  Clamp LENGTH to the file.
	//>  * TODO 3: round OFFSET down to a multiple of sysconf(_SC_PAGESIZE), never
	//>  *         a literal 4096 (pitfall 6); map only the pages the range needs,
	//>  *         PROT_READ, MAP_SHARED; compare with MAP_FAILED (pitfall 7).
	//>  * TODO 4: close the descriptor at once (pitfall 3).
	//>  * TODO 5: write() the range's bytes to stdout, NUL bytes included (a
	//>  *         write may take fewer bytes than asked: loop).
	//>  * TODO 6: munmap the address mmap returned, with the length you gave it
	//>  *         -- not the pointer to OFFSET (pitfall 5).
	//>  * Check every call: on failure err(1, "CALL") prints "mmap_cat: CALL: reason".
	//>  */
	//> if (length == UINT64_MAX)
	//> 	errx(1, "not implemented: print %s from offset %" PRIu64 " to its end",
	//> 	     path, offset);
	//> errx(1, "not implemented: print %" PRIu64 " bytes of %s from offset %" PRIu64,
	//>      length, path, offset);
	return 0;
}
