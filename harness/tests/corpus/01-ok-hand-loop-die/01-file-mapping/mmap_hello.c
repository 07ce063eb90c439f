/* mmap_hello.c: a correct variant: hand-rolled argument loop, a die() macro,
 * the mapping printed with write(2). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PROG "mmap_hello"
#define die(call) do { \
	fprintf(stderr, "%s: %s: %s\n", PROG, (call), strerror(errno)); \
	exit(1); \
} while (0)

static void usage(const char *why)
{
	if (why)
		fprintf(stderr, "%s: %s\n", PROG, why);
	fputs("usage: mmap_hello [FILE [TEXT [SIZE]]]\n", stderr);
	exit(2);
}

static size_t digits(const char *s)
{
	size_t v = 0;

	if (*s == '\0')
		usage("SIZE must be a decimal number");
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			usage("SIZE must be a decimal number");
		if (v > 100000000)
			usage("SIZE is too large");
		v = v * 10 + (size_t)(*s - '0');
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *ops[3];
	int n = 0, i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		usage("unknown option");
	}
	for (; i < argc; i++) {
		if (n == 3)
			usage("too many arguments");
		ops[n++] = argv[i];
	}
	const char *file = n > 0 ? ops[0] : "hello";
	const char *text = n > 1 ? ops[1] : "xxx";
	size_t size = n > 2 ? digits(ops[2]) : 20;
	size_t tlen = strlen(text);

	if (size == 0) {
		fprintf(stderr, "%s: SIZE must be at least 1\n", PROG);
		return 1;
	}
	if (tlen + 1 > size) {
		fprintf(stderr, "%s: \"%s\" does not fit in %zu bytes\n", PROG, text, size);
		return 1;
	}

	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		die("open");
	if (ftruncate(fd, (off_t)size) < 0)
		die("ftruncate");
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");

	memcpy(m, text, tlen);
	size_t len = strlen(m);
	m[len] = '\0';
	if (write(STDOUT_FILENO, m, len) != (ssize_t)len || write(STDOUT_FILENO, "\n", 1) != 1)
		die("write");
	if (munmap(m, size) < 0)
		die("munmap");
	return 0;
}
