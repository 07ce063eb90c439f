/* fork_share.c: a correct variant: the child stores VALUE with memcpy and
 * unmaps its own view before exit; the parent reaps with waitpid(-1). */
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

#define USAGE "usage: fork_share [-p] [VALUE [VAR]]\n"

static int to_int(const char *s, int *out)
{
	char *end;
	if (!(*s >= '0' && *s <= '9'))
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || errno == ERANGE || v > 2147483647L)
		return -1;
	*out = (int)v;
	return 0;
}

int main(int argc, char *argv[])
{
	int mode = MAP_SHARED;
	for (int c; (c = getopt(argc, argv, "+p")) != -1;) {
		if (c == '?') {
			fputs(USAGE, stderr);
			return 2;
		}
		mode = MAP_PRIVATE;
	}
	int value = 2000, newvar = 1000;
	int rest = argc - optind;
	if (rest > 2 || (rest >= 1 && to_int(argv[optind], &value)) ||
	    (rest >= 2 && to_int(argv[optind + 1], &newvar))) {
		fputs(USAGE, stderr);
		return 2;
	}

	char path[] = "fork_share.tmp.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		err(1, "mkstemp");
	if (unlink(path))
		err(1, "unlink");
	if (ftruncate(fd, sizeof value))
		err(1, "ftruncate");
	void *m = mmap(NULL, sizeof value, PROT_READ | PROT_WRITE, mode, fd, 0);
	if (m == MAP_FAILED)
		err(1, "mmap");
	if (close(fd))
		err(1, "close");

	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		int got;
		memcpy(m, &value, sizeof value);
		var = newvar;
		memcpy(&got, m, sizeof got);
		printf("child, *p = %d, var = %d\n", got, var);
		if (munmap(m, sizeof value))
			err(1, "munmap");
		exit(0);
	}
	int st;
	if (waitpid(-1, &st, 0) != pid)
		err(1, "waitpid");
	int seen;
	memcpy(&seen, m, sizeof seen);
	printf("parent, *p = %d, var = %d\n", seen, var);
	if (munmap(m, sizeof value))
		err(1, "munmap");
	return 0;
}
