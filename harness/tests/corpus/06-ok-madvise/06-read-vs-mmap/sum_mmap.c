/*
 * sum_mmap.c: hash a file's bytes through one mapping of the whole file.
 *
 * Usage: sum_mmap FILE
 *
 * Prints the same line as sum_read ("cbf29ce484222325 0" for an empty
 * file), without a single read(): the document's point, "不需要使用
 * write/read函数,而是可以直接通过指针完成读写操作" -- the bytes are
 * reached through a pointer.  No system call per piece: the kernel fills
 * the mapping's page table as the pages are first touched (page faults).
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sum.h"

int main(int argc, char *argv[])
{
	const char *path = parse_args(argc, argv, "sum_mmap");

	/* BEGIN SOLUTION */
	int fd = open(path, O_RDONLY);
	if (fd == -1)
		err(1, "open");
	struct stat st;
	if (fstat(fd, &st) == -1)
		err(1, "fstat");
	size_t size = (size_t)st.st_size;

	/* An empty file has nothing to map: mmap of 0 bytes is EINVAL (pitfall 4). */
	if (size == 0) {
		if (close(fd) == -1)
			err(1, "close");
		print_sum(FNV1A_OFFSET_BASIS, 0);
		return 0;
	}
	const unsigned char *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	/* Another way, correct: tell the kernel it is read in order. */
	if (madvise((void *)p, size, MADV_SEQUENTIAL) == -1)
		err(1, "madvise");

	uint64_t hash = fnv1a(FNV1A_OFFSET_BASIS, p, size);

	if (munmap((void *)p, size) == -1)
		err(1, "munmap");
	print_sum(hash, size);
	/* END SOLUTION */
	//> /*
	//>  * TODO 1: open FILE read-only; fstat it for its size.
	//>  * TODO 2: an empty file: close it and print_sum(FNV1A_OFFSET_BASIS, 0)
	//>  *         without mapping it (a 0-length mmap is EINVAL, pitfall 4).
	//>  * TODO 3: mmap the whole file once, PROT_READ, MAP_SHARED; compare with
	//>  *         MAP_FAILED; close the descriptor.
	//>  * TODO 4: fnv1a() over the mapping, munmap it, print_sum(hash, size).
	//>  * No read() here: the bytes are reached through the pointer.
	//>  * Check every call: on failure err(1, "CALL") prints "sum_mmap: CALL: reason".
	//>  */
	//> errx(1, "not implemented: hash %s through one mapping", path);
	return 0;
}
