/* fork_share.c: a correct variant: the temp file is "fork_share.PID" made with
 * O_CREAT|O_EXCL in the working directory, the parent uses wait(). */
#define _DEFAULT_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int var = 100;

static void usage(void)
{
	fputs("usage: fork_share [-p] [VALUE [VAR]]\n", stderr);
	exit(2);
}

static int number(const char *s)
{
	long v = 0;

	if (!*s)
		usage();
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			usage();
		v = v * 10 + (*s - '0');
		if (v > 2147483647L)
			errx(1, "number too large");
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	int private = 0, i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-p"))
			private = 1;
		else
			usage();
	}
	if (argc - i > 2)
		usage();
	int value = argc - i >= 1 ? number(argv[i]) : 2000;
	int newvar = argc - i >= 2 ? number(argv[i + 1]) : 1000;

	char name[64];
	snprintf(name, sizeof name, "fork_share.%ld", (long)getpid());
	int fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		err(1, "open");
	if (unlink(name) < 0)
		err(1, "unlink");
	if (ftruncate(fd, sizeof(int)) < 0)
		err(1, "ftruncate");
	int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
		      private ? MAP_PRIVATE : MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) < 0)
		err(1, "close");

	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		*p = value;
		var = newvar;
		printf("child, *p = %d, var = %d\n", *p, var);
		return 0;
	}
	int status;
	if (wait(&status) < 0)
		err(1, "wait");
	printf("parent, *p = %d, var = %d\n", *p, var);
	if (munmap(p, sizeof(int)) < 0)
		err(1, "munmap");
	return 0;
}
