/* mmap_hello.c: a correct variant: the file is opened with fopen and mapped
 * through fileno(); fclose closes it right after mmap. */
#define _DEFAULT_SOURCE
#include <err.h>
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
	if (getopt(argc, argv, "+") != -1 || argc - optind > 3)
		usage();
	char **a = argv + optind;
	int n = argc - optind;
	const char *path = n > 0 ? a[0] : "hello";
	const char *text = n > 1 ? a[1] : "xxx";
	size_t size = 20;
	if (n > 2) {
		size_t len = strlen(a[2]);
		if (len == 0 || len > 9 || strspn(a[2], "0123456789") != len)
			usage();
		size = (size_t)strtoul(a[2], NULL, 10);
	}
	if (size == 0)
		errx(1, "SIZE must be at least 1");
	if (strlen(text) + 1 > size)
		errx(1, "TEXT does not fit in SIZE %zu with its NUL", size);

	FILE *f = fopen(path, "w+");
	if (f == NULL)
		err(1, "fopen");
	if (ftruncate(fileno(f), (off_t)size) == -1)
		err(1, "ftruncate");
	char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fileno(f), 0);
	if (mem == MAP_FAILED)
		err(1, "mmap");
	if (fclose(f) == EOF)
		err(1, "fclose");
	memcpy(mem, text, strlen(text));
	printf("%s\n", mem);
	if (munmap(mem, size) == -1)
		err(1, "munmap");
	return 0;
}
