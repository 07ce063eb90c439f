/*
 * (A correct variant: the file is sized after mmap, before the mapping is
 * touched, which is all pitfall 4 asks.)
 *
 * mmap_hello.c: write to a file through memory (存储映射I/O, memory-mapped I/O).
 *
 * Usage: mmap_hello [FILE [TEXT [SIZE]]]    (defaults: hello xxx 20)
 *
 * Creates FILE, makes it SIZE bytes long, maps it MAP_SHARED, copies TEXT into
 * the mapping and prints the mapping as a string.  TEXT reaches the file
 * without a single write(): the mapping *is* the file's page cache.
 *
 * Where this departs from the document's example 1, and why:
 *  - ftruncate and close are checked, and errors go to stderr as
 *    "mmap_hello: CALL: reason" (exit 1); bad usage exits 2.
 *  - the mapping is PROT_READ|PROT_WRITE: printf reads it, and PROT_WRITE
 *    alone only happens to be readable on x86.
 *  - munmap gets exactly what mmap returned and was given: the document's
 *    munmap(mem, 4) on a 20-byte mapping "works" only because the kernel
 *    rounds to whole pages (pitfall 5).
 *  - SIZE 0 and TEXT that does not fit in SIZE-1 bytes are refused: a write
 *    past the end of the file would raise SIGBUS (pitfall 4).
 */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: mmap_hello [FILE [TEXT [SIZE]]]\n");
	exit(2);
}

/* SIZE must be digits only: "-1", "+3", " 7" and "20k" are usage errors. */
static size_t parse_size(const char *s)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v > SIZE_MAX / 2)
		usage();
	return (size_t)v;
}

int main(int argc, char *argv[])
{
	/* "+": stop at the first operand, so a TEXT such as "-x" is not an option. */
	if (getopt(argc, argv, "+") != -1 || argc - optind > 3)
		usage();
	char **arg = argv + optind;
	int nargs = argc - optind;
	const char *path = nargs > 0 ? arg[0] : "hello";
	const char *text = nargs > 1 ? arg[1] : "xxx";
	size_t size = nargs > 2 ? parse_size(arg[2]) : 20;

	size_t len = strlen(text);
	if (size == 0)
		errx(1, "SIZE 0: an empty file cannot be mapped (pitfall 4)");
	if (len > size - 1)
		errx(1, "TEXT is %zu bytes; SIZE %zu holds %zu bytes of text and a NUL",
		     len, size, size - 1);

	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		err(1, "open");
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED)
		err(1, "mmap");
	if (ftruncate(fd, (off_t)size) == -1)
		err(1, "ftruncate");
	/* The mapping keeps its own reference to the file (pitfall 3). */
	if (close(fd) == -1)
		err(1, "close");

	/* ftruncate filled the file with NUL bytes, so mem stays a C string. */
	memcpy(mem, text, len);
	printf("%s\n", mem);

	if (munmap(mem, size) == -1)
		err(1, "munmap");
	return 0;
}
