/* fork_share.c: a correct variant: the temporary file is removed with
 * remove(3); the parent reaps the child with waitpid. */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int var = 100;

static int arg_int(const char *s)
{
	char *end;

	if (*s < '0' || *s > '9') {
		fprintf(stderr, "fork_share: '%s' is not a number\nusage: fork_share [-p] [VALUE [VAR]]\n", s);
		exit(2);
	}
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || v > INT_MAX) {
		fprintf(stderr, "fork_share: '%s' is not a number\nusage: fork_share [-p] [VALUE [VAR]]\n", s);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char *argv[])
{
	int how = MAP_SHARED, c;
	while ((c = getopt(argc, argv, "+p")) != -1) {
		if (c != 'p') {
			fprintf(stderr, "usage: fork_share [-p] [VALUE [VAR]]\n");
			return 2;
		}
		how = MAP_PRIVATE;
	}
	if (argc - optind > 2) {
		fprintf(stderr, "usage: fork_share [-p] [VALUE [VAR]]\n");
		return 2;
	}
	int value = argc > optind ? arg_int(argv[optind]) : 2000;
	int nvar = argc > optind + 1 ? arg_int(argv[optind + 1]) : 1000;

	char path[] = "fork_share.XXXXXX";
	int fd = mkstemp(path);
	if (fd == -1)
		err(1, "mkstemp");
	if (remove(path) == -1)
		err(1, "remove");
	if (ftruncate(fd, sizeof(int)) == -1)
		err(1, "ftruncate");
	char *m = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, how, fd, 0);
	if (m == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		memcpy(m, &value, sizeof value);
		var = nvar;
		int got;
		memcpy(&got, m, sizeof got);
		printf("child, *p = %d, var = %d\n", got, var);
		exit(0);
	}
	if (waitpid(pid, NULL, 0) == -1)
		err(1, "waitpid");
	int seen;
	memcpy(&seen, m, sizeof seen);
	printf("parent, *p = %d, var = %d\n", seen, var);
	if (munmap(m, sizeof(int)) == -1)
		err(1, "munmap");
	return 0;
}
