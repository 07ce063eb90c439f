/* zero_share.c: a correct variant: the parent copies the shared value out after
 * the wait, unmaps, then prints; the child unmaps its view before exit. */
#define _DEFAULT_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int *map_it(void);

int main(int argc, char *argv[])
{
	int value = 2000, opt;
	while ((opt = getopt(argc, argv, "+")) != -1)
		goto usage;
	if (argc - optind > 1)
		goto usage;
	if (argc - optind == 1) {
		const char *s = argv[optind];
		size_t n = strlen(s);
		if (n == 0 || n > 9 || strspn(s, "0123456789") != n || sscanf(s, "%d", &value) != 1)
			goto usage;
	}
	int *p = map_it();
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		*p = value;
		printf("child, *p = %d\n", *p);
		if (munmap(p, sizeof *p) < 0)
			err(1, "munmap");
		exit(0);
	}
	if (waitpid(pid, NULL, 0) < 0)
		err(1, "waitpid");
	int seen = *p;
	if (munmap(p, sizeof *p) < 0)
		err(1, "munmap");
	printf("parent, *p = %d\n", seen);
	return 0;
usage:
	fprintf(stderr, "usage: zero_share [VALUE]\n");
	return 2;
}

static int *map_it(void)
{
	int fd = open("/dev/zero", O_RDWR);
	if (fd < 0)
		err(1, "open");
	void *m = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) < 0)
		err(1, "close");
	return m;
}
