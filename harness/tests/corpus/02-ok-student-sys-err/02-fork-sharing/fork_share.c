/* fork_share.c: a correct variant in a student's style (sys_err, the parent's
 * branch first, wait(NULL)). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int var = 100;

void sys_err(const char *str)
{
	fprintf(stderr, "fork_share: %s: %s\n", str, strerror(errno));
	exit(1);
}

int is_number(const char *s)
{
	if (*s == 0)
		return 0;
	while (*s) {
		if (*s < '0' || *s > '9')
			return 0;
		s++;
	}
	return 1;
}

int main(int argc, char *argv[])
{
	int *p;
	pid_t pid;
	int i = 1, flag = MAP_SHARED;
	int value = 2000, v = 1000;

	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-p") == 0) {
			flag = MAP_PRIVATE;
			i++;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			fprintf(stderr, "fork_share: unknown option %s\n", argv[i]);
			fprintf(stderr, "usage: fork_share [-p] [VALUE [VAR]]\n");
			exit(2);
		}
	}
	if (argc - i > 2 || (i < argc && !is_number(argv[i])) ||
	    (i + 1 < argc && !is_number(argv[i + 1]))) {
		fprintf(stderr, "usage: fork_share [-p] [VALUE [VAR]]\n");
		exit(2);
	}
	if (i < argc)
		value = atoi(argv[i]);
	if (i + 1 < argc)
		v = atoi(argv[i + 1]);

	int fd = open("temp", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		sys_err("open");
	int ret = unlink("temp");
	if (ret == -1)
		sys_err("unlink");
	ret = ftruncate(fd, 4);
	if (ret == -1)
		sys_err("ftruncate");

	p = (int *)mmap(NULL, 4, PROT_READ | PROT_WRITE, flag, fd, 0);
	if (p == MAP_FAILED)
		sys_err("mmap");
	ret = close(fd);
	if (ret == -1)
		sys_err("close");

	fflush(stdout);
	pid = fork();
	if (pid > 0) {
		ret = wait(NULL);
		if (ret == -1)
			sys_err("wait");
		printf("parent, *p = %d, var = %d\n", *p, var);
		ret = munmap(p, 4);
		if (ret == -1)
			sys_err("munmap");
	} else if (pid == 0) {
		*p = value;
		var = v;
		printf("child, *p = %d, var = %d\n", *p, var);
	} else {
		sys_err("fork");
	}
	return 0;
}
