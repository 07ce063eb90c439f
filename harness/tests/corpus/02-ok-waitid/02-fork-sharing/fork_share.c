/* fork_share.c: a correct variant: the parent waits with waitid(P_PID). */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int var = 100;

static void usage(void)
{
	fprintf(stderr, "usage: fork_share [-p] [VALUE [VAR]]\n");
	exit(2);
}

static int atoi_strict(const char *s)
{
	char *end;
	if (!*s || strspn(s, "0123456789") != strlen(s))
		usage();
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || v > INT_MAX)
		errx(1, "%s is too large", s);
	return (int)v;
}

int main(int argc, char *argv[])
{
	int priv = 0, o;
	while ((o = getopt(argc, argv, "+p")) != -1) {
		if (o != 'p')
			usage();
		priv = 1;
	}
	if (argc - optind > 2)
		usage();
	int value = argc - optind > 0 ? atoi_strict(argv[optind]) : 2000;
	int nvar = argc - optind > 1 ? atoi_strict(argv[optind + 1]) : 1000;

	char path[] = "fork_share_XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		err(1, "mkstemp");
	if (unlink(path) < 0)
		err(1, "unlink");
	if (ftruncate(fd, 8) < 0)
		err(1, "ftruncate");
	int *p = mmap(NULL, 8, PROT_READ | PROT_WRITE, priv ? MAP_PRIVATE : MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) < 0)
		err(1, "close");

	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		p[0] = value;
		var = nvar;
		printf("child, *p = %d, var = %d\n", p[0], var);
		exit(0);
	}
	siginfo_t info;
	memset(&info, 0, sizeof info);
	if (waitid(P_PID, (id_t)pid, &info, WEXITED) < 0)
		err(1, "waitid");
	printf("parent, *p = %d, var = %d\n", p[0], var);
	if (munmap(p, 8) < 0)
		err(1, "munmap");
	return 0;
}
