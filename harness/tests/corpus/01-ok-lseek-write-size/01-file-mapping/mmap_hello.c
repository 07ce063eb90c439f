/* mmap_hello.c: a correct variant: the file gets its SIZE bytes from lseek
 * and a one-byte write (the way before ftruncate), strtol with every check. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *prog;

static void fail(const char *call)
{
	fprintf(stderr, "%s: %s: %s\n", prog, call, strerror(errno));
	exit(EXIT_FAILURE);
}

static void bad_usage(void)
{
	fprintf(stderr, "usage: %s [FILE [TEXT [SIZE]]]\n", prog);
	exit(2);
}

int main(int argc, char *argv[])
{
	prog = program_invocation_short_name;
	int first = 1;
	if (first < argc && argv[first][0] == '-') {
		if (strcmp(argv[first], "--") != 0)
			bad_usage();
		first++;
	}
	int nops = argc - first;
	if (nops > 3)
		bad_usage();

	const char *path = nops >= 1 ? argv[first] : "hello";
	const char *text = nops >= 2 ? argv[first + 1] : "xxx";
	long size = 20;
	if (nops == 3) {
		const char *s = argv[first + 2];
		char *end;
		if (!(*s >= '0' && *s <= '9'))
			bad_usage();
		errno = 0;
		size = strtol(s, &end, 10);
		if (*end != '\0')
			bad_usage();
		if (errno == ERANGE || size > INT_MAX) {
			fprintf(stderr, "%s: SIZE %s is out of range\n", prog, s);
			return 1;
		}
	}
	if (size == 0 || (long)strlen(text) >= size) {
		fprintf(stderr, "%s: TEXT \"%s\" and its NUL do not fit in SIZE %ld\n",
			prog, text, size);
		return 1;
	}

	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		fail("open");
	if (lseek(fd, size - 1, SEEK_SET) == -1)
		fail("lseek");
	if (write(fd, "", 1) != 1)
		fail("write");
	char *map = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		fail("mmap");
	if (close(fd) == -1)
		fail("close");

	memcpy(map, text, strlen(text));
	printf("%s\n", map);
	fflush(stdout);
	if (munmap(map, (size_t)size) == -1)
		fail("munmap");
	return 0;
}
