/* fork_share.c: a correct variant: stdout is unbuffered from the start
 * (setvbuf), so the child can end with _exit and nothing is lost or doubled. */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
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

static int getnum(const char *s)
{
	unsigned long v = 0;
	size_t i;
	for (i = 0; s[i] >= '0' && s[i] <= '9' && i < 10; i++)
		v = v * 10 + (unsigned long)(s[i] - '0');
	if (i == 0 || s[i] != '\0' || v > 2147483647UL)
		usage();
	return (int)v;
}

int main(int argc, char *argv[])
{
	setvbuf(stdout, NULL, _IONBF, 0);
	int flags = MAP_SHARED, ch;
	while ((ch = getopt(argc, argv, "+p")) != -1) {
		if (ch != 'p')
			usage();
		flags = MAP_PRIVATE;
	}
	if (argc - optind > 2)
		usage();
	int value = 2000, nvar = 1000;
	if (argc - optind >= 1)
		value = getnum(argv[optind]);
	if (argc - optind >= 2)
		nvar = getnum(argv[optind + 1]);

	char name[] = "shareXXXXXX";
	int fd = mkstemp(name);
	if (fd == -1)
		err(EXIT_FAILURE, "mkstemp");
	if (unlink(name) == -1)
		err(EXIT_FAILURE, "unlink");
	if (ftruncate(fd, 4) == -1)
		err(EXIT_FAILURE, "ftruncate");
	int *p = mmap(NULL, 4, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED)
		err(EXIT_FAILURE, "mmap");
	if (close(fd) == -1)
		err(EXIT_FAILURE, "close");

	pid_t pid = fork();
	if (pid == -1)
		err(EXIT_FAILURE, "fork");
	if (pid == 0) {
		*p = value;
		var = nvar;
		printf("child, *p = %d, var = %d\n", *p, var);
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) == -1)
		err(EXIT_FAILURE, "waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		errx(EXIT_FAILURE, "child failed");
	printf("parent, *p = %d, var = %d\n", *p, var);
	if (munmap(p, 4) == -1)
		err(EXIT_FAILURE, "munmap");
	return 0;
}
