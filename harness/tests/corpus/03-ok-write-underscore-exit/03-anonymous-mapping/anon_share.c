/* anon_share.c: a correct variant: every line is written with dprintf (no stdio
 * buffer at fork), so the child may end with _exit. */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(void)
{
	dprintf(2, "usage: anon_share [VALUE]\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	if (getopt(argc, argv, "+") != -1 || argc - optind > 1)
		usage();
	long value = 2000;
	if (optind < argc) {
		char *end;
		const char *s = argv[optind];
		if (*s < '0' || *s > '9')
			usage();
		errno = 0;
		value = strtol(s, &end, 10);
		if (*end != '\0' || errno != 0 || value > INT_MAX)
			usage();
	}
	int *p = mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");

	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		*p = (int)value;
		dprintf(1, "child, *p = %d\n", *p);
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) == -1)
		err(1, "waitpid");
	dprintf(1, "parent, *p = %d\n", *p);
	if (munmap(p, sizeof *p) == -1)
		err(1, "munmap");
	return 0;
}
