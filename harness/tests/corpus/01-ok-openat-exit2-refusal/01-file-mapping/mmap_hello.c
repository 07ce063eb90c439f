/* mmap_hello.c: a correct variant: openat(AT_FDCWD), SIZE 0 and a TEXT that
 * does not fit refused as usage errors (exit 2), printf("%.*s"). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char usage_line[] = "usage: mmap_hello [FILE [TEXT [SIZE]]]\n";

static void refuse(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "mmap_hello: %s\n%s", msg, usage_line);
	exit(2);
}

static void syscall_failed(const char *call)
{
	int e = errno;
	fprintf(stderr, "mmap_hello: %s: %s\n", call, strerror(e));
	exit(1);
}

int main(int argc, char *argv[])
{
	int k = 1;
	if (argc > 1 && argv[1][0] == '-') {
		if (strcmp(argv[1], "--"))
			refuse("unknown option %s", argv[1]);
		k = 2;
	}
	if (argc - k > 3)
		refuse("too many arguments");
	const char *file = argc - k > 0 ? argv[k] : "hello";
	const char *text = argc - k > 1 ? argv[k + 1] : "xxx";
	size_t size = 20;
	if (argc - k > 2) {
		const char *s = argv[k + 2];
		if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
			refuse("SIZE \"%s\" is not a number", s);
		size = (size_t)strtoul(s, NULL, 10);
	}
	if (size == 0)
		refuse("SIZE must be at least 1");
	size_t tl = strlen(text);
	if (tl > size - 1)
		refuse("TEXT is %zu bytes, SIZE %zu leaves room for %zu", tl, size, size - 1);

	int fd = openat(AT_FDCWD, file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		syscall_failed("open");
	if (ftruncate(fd, (off_t)size))
		syscall_failed("ftruncate");
	void *addr = mmap(0, size, PROT_WRITE | PROT_READ, MAP_SHARED, fd, 0);
	if (addr == MAP_FAILED)
		syscall_failed("mmap");
	if (close(fd))
		syscall_failed("close");

	char *s = addr;
	memcpy(s, text, tl);
	printf("%.*s\n", (int)strnlen(s, size), s);
	if (munmap(addr, size))
		syscall_failed("munmap");
	return 0;
}
