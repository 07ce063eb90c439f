/* anon_share.c: a correct variant in a student's style: MAP_ANON, a page-long
 * mapping, wait(NULL). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void sys_err(const char *s)
{
	fprintf(stderr, "anon_share: %s: %s\n", s, strerror(errno));
	exit(1);
}

int main(int argc, char *argv[])
{
	int value = 2000;
	int len = 4096;
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

	int *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANON, -1, 0);
	if (MAP_FAILED == p)
		sys_err("mmap");

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
	if (munmap(p, len) < 0)
		sys_err("munmap");
	return 0;

usage:
	fprintf(stderr, "usage: anon_share [VALUE]\n");
	return 2;
}
