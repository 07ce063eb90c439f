/* mmap_w.c: a correct variant: hand argument loop, the struct copied in one
 * memcpy of a compound literal. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "stu.h"

#define die(c) do { fprintf(stderr, "mmap_w: %s: %s\n", c, strerror(errno)); exit(1); } while (0)

static void usage(void)
{
	fputs("usage: mmap_w FILE [ID NAME SEX]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	int i = 1;
	if (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--"))
			usage();
		i++;
	}
	int n = argc - i;
	if (n != 1 && n != 4)
		usage();
	struct STU st;
	memset(&st, 0, sizeof st);
	st.id = 10;
	strcpy(st.name, "xiaoming");
	st.sex = 'm';
	if (n == 4) {
		const char *s = argv[i + 1];
		long v = 0;
		if (!*s)
			usage();
		for (; *s; s++) {
			if (*s < '0' || *s > '9' || v > 214748364)
				usage();
			v = v * 10 + (*s - '0');
		}
		if (strlen(argv[i + 2]) >= sizeof st.name) {
			fprintf(stderr, "mmap_w: NAME too long (19 bytes at most)\n");
			exit(1);
		}
		if (strlen(argv[i + 3]) != 1) {
			fprintf(stderr, "mmap_w: SEX is one character\n");
			exit(1);
		}
		st.id = (int)v;
		strcpy(st.name, argv[i + 2]);
		st.sex = argv[i + 3][0];
	}

	int fd = open(argv[i], O_CREAT | O_RDWR, 0664);
	if (fd < 0)
		die("open");
	if (ftruncate(fd, (off_t)sizeof(struct STU)) < 0)
		die("ftruncate");
	void *m = mmap(NULL, sizeof(struct STU), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	if (close(fd) < 0)
		die("close");
	memcpy(m, &st, sizeof st);
	if (munmap(m, sizeof(struct STU)) < 0)
		die("munmap");
	return 0;
}
