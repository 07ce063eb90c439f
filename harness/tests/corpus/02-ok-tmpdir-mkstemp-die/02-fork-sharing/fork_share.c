/* fork_share.c: a correct variant: the temp file is made by mkstemp in
 * $TMPDIR (or /tmp), errors through a die() macro. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define die(what) do { \
	fprintf(stderr, "fork_share: %s: %s\n", what, strerror(errno)); \
	exit(1); \
} while (0)

int var = 100;

struct shared { int value; };

static int parse(const char *s)
{
	char *end;

	if (*s < '0' || *s > '9')
		goto bad;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end != '\0' || errno || v > 0x7fffffff)
		goto bad;
	return (int)v;
bad:
	fprintf(stderr, "fork_share: not a number: '%s'\nusage: fork_share [-p] [VALUE [VAR]]\n", s);
	exit(2);
}

int main(int argc, char *argv[])
{
	int flag = MAP_SHARED, c;

	while ((c = getopt(argc, argv, "+p")) != -1) {
		switch (c) {
		case 'p':
			flag = MAP_PRIVATE;
			break;
		default:
			fprintf(stderr, "usage: fork_share [-p] [VALUE [VAR]]\n");
			exit(2);
		}
	}
	char **ops = argv + optind;
	int nops = argc - optind;
	if (nops > 2) {
		fprintf(stderr, "usage: fork_share [-p] [VALUE [VAR]]\n");
		exit(2);
	}
	int value = nops > 0 ? parse(ops[0]) : 2000;
	int v2 = nops > 1 ? parse(ops[1]) : 1000;

	const char *dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	char path[4096];
	snprintf(path, sizeof path, "%s/fs-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd == -1)
		die("mkstemp");
	if (unlink(path) == -1)
		die("unlink");
	if (ftruncate(fd, sizeof(struct shared)) == -1)
		die("ftruncate");
	struct shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, flag, fd, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	if (close(fd) == -1)
		die("close");

	if (fflush(stdout) == EOF)
		die("fflush");
	pid_t child = fork();
	switch (child) {
	case -1:
		die("fork");
	case 0:
		sh->value = value;
		var = v2;
		printf("child, *p = %d, var = %d\n", sh->value, var);
		exit(EXIT_SUCCESS);
	default:
		break;
	}
	if (waitpid(child, NULL, 0) != child)
		die("waitpid");
	printf("parent, *p = %d, var = %d\n", sh->value, var);
	if (munmap(sh, sizeof *sh) == -1)
		die("munmap");
	return EXIT_SUCCESS;
}
