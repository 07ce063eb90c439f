/*
 * zero_share.c: a parent and child share a mapping of /dev/zero.
 *
 * Usage: zero_share [VALUE]    (default: 2000)
 *
 * Before MAP_ANONYMOUS existed (and on systems without it) an anonymous shared
 * mapping was made by mapping /dev/zero MAP_SHARED: the kernel hands out fresh
 * zero pages, shared with the children forked afterwards.  The descriptor can
 * be closed at once (pitfall 3).  The fork/wait dance is in share.h.
 *
 * Where this departs from the document, and why: the document's sketch has a
 * typo (MMAP_SHARED) and leaves open unchecked; here open, mmap and close are
 * checked, and the parent waits for the child instead of sleeping.
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Returns VALUE (default 2000); bad usage exits 2 with a usage line. */
static int parse_args(int argc, char *argv[], const char *usage)
{
	if (getopt(argc, argv, "+") == -1 && argc - optind <= 1) {
		if (argc == optind)
			return 2000;
		const char *s = argv[optind];
		char *end;
		errno = 0;
		long v = strtol(s, &end, 10);
		/* Digits only: "-1", "+3", " 7" and "2e3" are usage errors. */
		if (*s >= '0' && *s <= '9' && *end == '\0' && errno == 0 && v <= INT_MAX)
			return (int)v;
	}
	fprintf(stderr, "usage: %s\n", usage);
	exit(2);
}

/* p points to an int-sized mapping; it is unmapped before returning. */
static void share_with_child(int *p, int value)
{
	/* Whatever is still buffered would be printed by both processes. */
	fflush(stdout);
	pid_t pid = fork();	/* MISTAKE: fork's result is not checked for -1 */
	if (pid == 0) {
		*p = value;
		printf("child, *p = %d\n", *p);
		exit(0);	/* flushes stdout; the mapping goes with the process */
	}

	/* Read only after the child is done: this, not sleep(1), orders the two. */
	int status;
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "the child did not exit cleanly");
	printf("parent, *p = %d\n", *p);

	if (munmap(p, sizeof(int)) == -1)
		err(1, "munmap");
}


int main(int argc, char *argv[])
{
	int value = parse_args(argc, argv, "zero_share [VALUE]");

	int fd = open("/dev/zero", O_RDWR);
	if (fd == -1)
		err(1, "open");
	int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	share_with_child(p, value);
	return 0;
}
