/*
 * sum_read.c: hash a file's bytes, read() into a buffer of the program's own.
 *
 * Usage: sum_read FILE
 *
 * Prints the FNV-1a 64-bit hash of FILE's bytes and their count
 * ("cbf29ce484222325 0" for an empty file).  Each read() is a system call
 * that copies up to BUF_SIZE bytes from the page cache into buf: the buffer's
 * size sets how many calls the file costs (with 1 byte, one per byte).
 * sum_mmap.c gets the same bytes without a single read().
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "sum.h"

/* Large enough that the calls cost little next to the hashing, small enough
 * to stay in the processor's cache while it is hashed. */
#define BUF_SIZE 4096	/* another size, correct */

int main(int argc, char *argv[])
{
	const char *path = parse_args(argc, argv, "sum_read");

	/* BEGIN SOLUTION */
	static unsigned char buf[BUF_SIZE];
	int fd = open(path, O_RDONLY);
	if (fd == -1)
		err(1, "open");

	uint64_t hash = FNV1A_OFFSET_BASIS, bytes = 0;
	ssize_t n;
	/* read() returns 0 at the end of the file, and may return fewer bytes
	 * than asked at any time. */
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			err(1, "read");
		hash = fnv1a(hash, buf, (size_t)n);
		bytes += (uint64_t)n;
	}
	if (close(fd) == -1)
		err(1, "close");
	print_sum(hash, bytes);
	/* END SOLUTION */
	//> /*
	//>  * TODO 1: open FILE read-only.
	//>  * TODO 2: read() it into a buffer of BUF_SIZE bytes until read returns 0
	//>  *         (it may return fewer bytes than asked), hashing each piece with
	//>  *         fnv1a() from FNV1A_OFFSET_BASIS and counting the bytes.
	//>  * TODO 3: close the descriptor; print_sum(hash, bytes).
	//>  * No mmap here: sum_mmap does it the other way.
	//>  * Check every call: on failure err(1, "CALL") prints "sum_read: CALL: reason".
	//>  */
	//> errx(1, "not implemented: hash %s with read() (a %d-byte buffer)", path, BUF_SIZE);
	return 0;
}
