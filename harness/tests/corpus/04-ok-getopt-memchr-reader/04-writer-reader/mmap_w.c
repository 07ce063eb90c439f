/* mmap_w.c: a correct variant: the record is built in calloc'd memory and
 * copied in with one memcpy; ftruncate alone sizes an existing file. */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "stu.h"

static void usage(void)
{
	fprintf(stderr, "usage: mmap_w FILE [ID NAME SEX]\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	opterr = 0;
	if (getopt(argc, argv, "+") != -1)
		usage();
	argc -= optind;
	argv += optind;
	if (argc != 1 && argc != 4)
		usage();
	struct STU *rec = calloc(1, sizeof *rec);
	if (rec == NULL)
		err(1, "calloc");
	rec->id = 10;
	strcpy(rec->name, "xiaoming");
	rec->sex = 'm';
	if (argc == 4) {
		size_t n = strlen(argv[1]);
		if (n == 0 || n > 9 || strspn(argv[1], "0123456789") != n)
			usage();
		if (strlen(argv[2]) >= sizeof rec->name)
			errx(1, "NAME must be at most %zu bytes", sizeof rec->name - 1);
		if (strlen(argv[3]) != 1)
			errx(1, "SEX must be one character");
		rec->id = atoi(argv[1]);
		strcpy(rec->name, argv[2]);
		rec->sex = argv[3][0];
	}
	int fd = open(argv[0], O_RDWR | O_CREAT, 0644);
	if (fd == -1)
		err(1, "open");
	if (ftruncate(fd, sizeof *rec) == -1)
		err(1, "ftruncate");
	struct STU *m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	memcpy(m, rec, sizeof *m);
	free(rec);
	if (munmap(m, sizeof *m) == -1)
		err(1, "munmap");
	return 0;
}
