/* fork_share.c: a correct variant: the parent polls waitpid(WNOHANG) with a
 * 1 ms pause between polls; it reads the mapping only once the child is reaped. */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int var = 100;

static void usage(void)
{
	fprintf(stderr, "usage: fork_share [-p] [VALUE [VAR]]\n");
	exit(2);
}

static int num(const char *s)
{
	char *e;
	if (*s < '0' || *s > '9')
		usage();
	errno = 0;
	long v = strtol(s, &e, 10);
	if (*e || errno || v > INT_MAX)
		usage();
	return (int)v;
}

int main(int argc, char *argv[])
{
	int flags = MAP_SHARED, o;
	while ((o = getopt(argc, argv, "+p")) != -1)
		if (o == 'p')
			flags = MAP_PRIVATE;
		else
			usage();
	if (argc - optind > 2)
		usage();
	int value = optind < argc ? num(argv[optind]) : 2000;
	int v = optind + 1 < argc ? num(argv[optind + 1]) : 1000;

	char tmpl[] = "fork_share.XXXXXX";
	int fd = mkstemp(tmpl);
	if (fd == -1)
		err(1, "mkstemp");
	if (unlink(tmpl) == -1)
		err(1, "unlink");
	if (ftruncate(fd, sizeof(int)) == -1)
		err(1, "ftruncate");
	int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		*p = value;
		var = v;
		printf("child, *p = %d, var = %d\n", *p, var);
		exit(0);
	}
	const struct timespec ms = { 0, 1000000 };
	int st;
	pid_t r;
	while ((r = waitpid(pid, &st, WNOHANG)) == 0)
		nanosleep(&ms, NULL);
	if (r == -1)
		err(1, "waitpid");
	printf("parent, *p = %d, var = %d\n", *p, var);
	if (munmap(p, sizeof(int)) == -1)
		err(1, "munmap");
	return 0;
}
