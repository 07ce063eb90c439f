/* zero_share.c: a correct variant: waitpid retried on EINTR, errors through die(). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROG "zero_share"
#define die(c) (fprintf(stderr, PROG ": %s: %s\n", (c), strerror(errno)), exit(1))

static int value_of(int argc, char **argv)
{
	int i = 1;
	if (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--") != 0)
			goto bad;
		i++;
	}
	if (argc - i == 0)
		return 2000;
	if (argc - i > 1)
		goto bad;
	long v = 0;
	const char *s = argv[i];
	if (*s == '\0')
		goto bad;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 214748364)
			goto bad;
		v = v * 10 + (*s - '0');
	}
	return (int)v;
bad:
	fputs("usage: " PROG " [VALUE]\n", stderr);
	exit(2);
}

static long *make_map(void);

int main(int argc, char **argv)
{
	int value = value_of(argc, argv);
	long *p = make_map();

	fflush(stdout);
	pid_t pid = fork();
	if (pid == -1)
		die("fork");
	if (pid == 0) {
		*p = value;
		printf("child, *p = %ld\n", *p);
		exit(0);
	}
	int st;
	pid_t r;
	do
		r = waitpid(pid, &st, 0);
	while (r == -1 && errno == EINTR);
	if (r == -1)
		die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		(fprintf(stderr, PROG ": the child failed\n"), exit(1));
	printf("parent, *p = %ld\n", *p);
	if (munmap(p, sizeof *p) == -1)
		die("munmap");
	return 0;
}

static long *make_map(void)
{
	int fd = open("/dev/zero", O_RDWR);
	if (fd == -1)
		die("open");
	long *p = mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap");
	if (close(fd) == -1)
		die("close");
	return p;
}
