/* mmap_hello.c: a correct variant: getopt and err(3); the mapping's length is
 * SIZE rounded up to a whole page (only the file's bytes are touched). */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
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

int main(int argc, char *argv[])
{
	int c;

	while ((c = getopt(argc, argv, "+")) != -1)
		usage();
	argc -= optind;
	argv += optind;
	if (argc > 3)
		usage();

	char *file = "hello", *text = "xxx";
	unsigned long size = 20;
	if (argc >= 1)
		file = argv[0];
	if (argc >= 2)
		text = argv[1];
	if (argc >= 3) {
		char *end;
		if (strspn(argv[2], "0123456789") != strlen(argv[2]) || argv[2][0] == '\0')
			usage();
		errno = 0;
		size = strtoul(argv[2], &end, 10);
		if (errno == ERANGE || size > (1ul << 30))
			errx(1, "SIZE %s is too large", argv[2]);
	}
	if (size < 1)
		errx(1, "SIZE must be 1 or more");
	if (strlen(text) >= size)
		errx(1, "TEXT needs %zu bytes with its NUL; SIZE is %lu", strlen(text) + 1, size);

	long page = sysconf(_SC_PAGESIZE);
	size_t maplen = (size + (size_t)page - 1) / (size_t)page * (size_t)page;

	int fd = open(file, O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (fd == -1)
		err(1, "open");
	if (ftruncate(fd, (off_t)size) == -1)
		err(1, "ftruncate");
	char *mem = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");

	strcpy(mem, text);
	fwrite(mem, 1, strlen(mem), stdout);
	putchar('\n');
	if (munmap(mem, maplen) == -1)
		err(1, "munmap");
	return 0;
}
