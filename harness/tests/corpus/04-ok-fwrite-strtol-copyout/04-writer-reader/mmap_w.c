/* mmap_w.c: a correct variant: field-by-field store with strncpy, one error
 * exit reached by goto. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "stu.h"

int main(int argc, char *argv[])
{
	const char *call;
	int k = 1;
	if (argc > k && argv[k][0] == '-') {
		if (strcmp(argv[k], "--") != 0)
			goto usage;
		k++;
	}
	if (argc - k != 1 && argc - k != 4)
		goto usage;
	const char *file = argv[k];
	long id = 10;
	const char *name = "xiaoming";
	char sex = 'm';
	if (argc - k == 4) {
		char *end;
		const char *s = argv[k + 1];
		if (s[0] < '0' || s[0] > '9')
			goto usage;
		errno = 0;
		id = strtol(s, &end, 10);
		if (*end != '\0' || errno != 0 || id > 2147483647L)
			goto usage;
		name = argv[k + 2];
		if (strlen(name) > sizeof ((struct STU *)0)->name - 1) {
			fprintf(stderr, "mmap_w: NAME is longer than 19 bytes\n");
			return 1;
		}
		if (argv[k + 3][0] == '\0' || argv[k + 3][1] != '\0') {
			fprintf(stderr, "mmap_w: SEX must be exactly one character\n");
			return 1;
		}
		sex = argv[k + 3][0];
	}

	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1) { call = "open"; goto fail; }
	if (ftruncate(fd, sizeof(struct STU)) == -1) { call = "ftruncate"; goto fail; }
	struct STU *st = mmap(NULL, sizeof *st, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (st == MAP_FAILED) { call = "mmap"; goto fail; }
	if (close(fd) == -1) { call = "close"; goto fail; }
	st->id = (int)id;
	strncpy(st->name, name, sizeof st->name);
	st->sex = sex;
	if (munmap(st, sizeof *st) == -1) { call = "munmap"; goto fail; }
	return 0;
fail:
	fprintf(stderr, "mmap_w: %s: %s\n", call, strerror(errno));
	return 1;
usage:
	fprintf(stderr, "usage: mmap_w FILE [ID NAME SEX]\n");
	return 2;
}
