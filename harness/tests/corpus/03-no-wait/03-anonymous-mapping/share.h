/*
 * share.h: what anon_share.c and zero_share.c have in common, so that each of
 * them shows only the one thing that differs: how the mapping is made.
 *
 * parse_args() reads [VALUE]; share_with_child() forks, lets the child write
 * VALUE through the mapping, waits for it, then lets the parent read it back.
 */
#ifndef SHARE_H
#define SHARE_H

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
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		*p = value;
		printf("child, *p = %d\n", *p);
		exit(0);	/* flushes stdout; the mapping goes with the process */
	}

	sleep(1);	/* MISTAKE: sleeps instead of waiting, and never reaps the child */
	printf("parent, *p = %d\n", *p);

	if (munmap(p, sizeof(int)) == -1)
		err(1, "munmap");
}

#endif
