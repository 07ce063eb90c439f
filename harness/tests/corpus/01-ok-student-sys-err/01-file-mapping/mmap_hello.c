/* mmap_hello.c: a correct variant in a student's style: sys_err(), argc
 * checks by hand, isdigit, puts() of the mapping. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

void sys_err(const char *str)
{
	fprintf(stderr, "mmap_hello: %s: %s\n", str, strerror(errno));
	exit(1);
}

void print_usage(void)
{
	fprintf(stderr, "usage: mmap_hello [FILE [TEXT [SIZE]]]\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	char *filename = "hello";
	char *text = "xxx";
	int size = 20;
	int i, start = 1;

	if (argc > 1 && strcmp(argv[1], "--") == 0)
		start = 2;
	else
		for (i = 1; i < argc; i++)
			if (argv[i][0] == '-')
				print_usage();
			else
				break;
	if (argc - start > 3)
		print_usage();
	if (argc - start >= 1)
		filename = argv[start];
	if (argc - start >= 2)
		text = argv[start + 1];
	if (argc - start >= 3) {
		char *s = argv[start + 2];
		if (strlen(s) == 0 || strlen(s) > 9)
			print_usage();
		for (i = 0; s[i]; i++)
			if (!isdigit((unsigned char)s[i]))
				print_usage();
		size = atoi(s);
	}
	if (size == 0) {
		fprintf(stderr, "mmap_hello: SIZE 0: nothing to map\n");
		exit(1);
	}
	if ((int)strlen(text) > size - 1) {
		fprintf(stderr, "mmap_hello: TEXT too long for SIZE %d\n", size);
		exit(1);
	}

	int fd = open(filename, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		sys_err("open");
	int ret = ftruncate(fd, size);
	if (ret == -1)
		sys_err("ftruncate");
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		sys_err("mmap");
	ret = close(fd);
	if (ret == -1)
		sys_err("close");

	strcpy(p, text);
	puts(p);

	ret = munmap(p, size);
	if (ret == -1)
		sys_err("munmap");
	return 0;
}
