/* zero_share.c: a correct variant in a student's style: /dev/zero mapped
 * 400 bytes, wait(NULL). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void sys_err(const char *s)
{
	fprintf(stderr, "zero_share: %s: %s\n", s, strerror(errno));
	exit(1);
}

int main(int argc, char *argv[])
{
	int value = 2000;
	int k = 1;

	if (argc > 1 && strcmp(argv[1], "--") == 0)
		k = 2;
	else if (argc > 1 && argv[1][0] == '-')
		goto usage;
	if (argc - k > 1)
		goto usage;
	if (argc - k == 1) {
		const char *s = argv[k];
		if (!*s || strlen(s) > 9 || strspn(s, "0123456789") != strlen(s))
			goto usage;
		value = atoi(s);
	}

	int fd = open("/dev/zero", O_RDWR);
	if (fd == -1)
		sys_err("open");
	int *p = mmap(NULL, 400, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (MAP_FAILED == p)
		sys_err("mmap");
	if (close(fd) == -1)
		sys_err("close");

	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		sys_err("fork");
	if (pid == 0) {
		*p = value;
		printf("child, *p = %d\n", *p);
		exit(0);
	}
	if (wait(NULL) < 0)
		sys_err("wait");
	printf("parent, *p = %d\n", *p);
	if (munmap(p, 400) < 0)
		sys_err("munmap");
	return 0;

usage:
	fprintf(stderr, "usage: zero_share [VALUE]\n");
	return 2;
}
