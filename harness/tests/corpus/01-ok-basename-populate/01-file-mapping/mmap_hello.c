/* mmap_hello.c: a correct variant: messages named after argv[0]'s last part,
 * the mapping prefaulted with MAP_POPULATE. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *me = "mmap_hello";

static void oops(const char *call)
{
	fprintf(stderr, "%s: %s: %s\n", me, call, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: %s [FILE [TEXT [SIZE]]]\n", me);
	exit(2);
}

int main(int argc, char *argv[])
{
	if (argc > 0 && argv[0] != NULL) {
		const char *slash = strrchr(argv[0], '/');
		me = slash ? slash + 1 : argv[0];
	}
	int c;
	opterr = 0;
	while ((c = getopt(argc, argv, "+")) != -1)
		usage();
	if (argc - optind > 3)
		usage();
	const char *file = "hello", *text = "xxx";
	size_t size = 20;
	switch (argc - optind) {
	case 3: {
		const char *s = argv[optind + 2];
		size_t n = strlen(s);
		if (n == 0 || n > 9 || strspn(s, "0123456789") != n) {
			fprintf(stderr, "%s: SIZE \"%s\" is not a decimal number\n", me, s);
			usage();
		}
		size = strtoul(s, NULL, 10);
	}
		/* fall through */
	case 2:
		text = argv[optind + 1];
		/* fall through */
	case 1:
		file = argv[optind];
		break;
	}
	if (size < 1) {
		fprintf(stderr, "%s: SIZE must be positive\n", me);
		return 1;
	}
	if (strlen(text) > size - 1) {
		fprintf(stderr, "%s: TEXT does not fit in %zu bytes\n", me, size - 1);
		return 1;
	}
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		oops("open");
	if (ftruncate(fd, (off_t)size) == -1)
		oops("ftruncate");
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
	if (m == MAP_FAILED)
		oops("mmap");
	if (close(fd) == -1)
		oops("close");
	memcpy(m, text, strlen(text));
	fputs(m, stdout);
	fputs("\n", stdout);
	if (munmap(m, size) == -1)
		oops("munmap");
	return 0;
}
