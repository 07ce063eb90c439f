/* mmap_hello.c: a correct variant: getopt, the TEXT copied byte by byte,
 * one error exit reached by goto. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	const char *what = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "+")) != -1) {
		fprintf(stderr, "usage: mmap_hello [FILE [TEXT [SIZE]]]\n");
		return 2;
	}
	int left = argc - optind;
	if (left > 3) {
		fprintf(stderr, "mmap_hello: too many operands\n"
			"usage: mmap_hello [FILE [TEXT [SIZE]]]\n");
		return 2;
	}
	const char *file = left > 0 ? argv[optind] : "hello";
	const char *text = left > 1 ? argv[optind + 1] : "xxx";
	unsigned size = 20;
	if (left > 2) {
		const char *s = argv[optind + 2];
		size = 0;
		if (*s == '\0')
			goto bad_size;
		for (const char *c = s; *c; c++) {
			if (*c < '0' || *c > '9' || size > 10000000)
				goto bad_size;
			size = size * 10 + (unsigned)(*c - '0');
		}
	}
	if (size == 0) {
		fprintf(stderr, "mmap_hello: SIZE 0 cannot hold any text\n");
		return 1;
	}
	size_t n = strlen(text);
	if (n >= size) {
		fprintf(stderr, "mmap_hello: TEXT does not fit in SIZE-1 = %u bytes\n", size - 1);
		return 1;
	}

	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1) {
		what = "open";
		goto fail;
	}
	if (ftruncate(fd, size) == -1) {
		what = "ftruncate";
		goto fail;
	}
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED) {
		what = "mmap";
		goto fail;
	}
	if (close(fd) == -1) {
		what = "close";
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		mem[i] = text[i];
	for (size_t i = 0; i < size && mem[i] != '\0'; i++)
		putchar(mem[i]);
	putchar('\n');
	if (munmap(mem, size) == -1) {
		what = "munmap";
		goto fail;
	}
	return 0;

fail:
	fprintf(stderr, "mmap_hello: %s: %s\n", what, strerror(errno));
	return 1;
bad_size:
	fprintf(stderr, "mmap_hello: SIZE must be decimal digits\n"
		"usage: mmap_hello [FILE [TEXT [SIZE]]]\n");
	return 2;
}
