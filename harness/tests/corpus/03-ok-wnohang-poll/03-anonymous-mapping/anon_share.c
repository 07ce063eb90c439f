/* anon_share.c: a correct variant: the parent polls waitpid(WNOHANG) every
 * millisecond and reads the mapping once the child is reaped. */
#define _DEFAULT_SOURCE
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int value = 2000;
	if (getopt(argc, argv, "+") != -1 || argc - optind > 1)
		goto usage;
	if (optind < argc) {
		const char *s = argv[optind];
		if (*s == '\0' || strlen(s) > 9 || strspn(s, "0123456789") != strlen(s))
			goto usage;
		value = atoi(s);
	}
	int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");

	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		*p = value;
		printf("child, *p = %d\n", *p);
		exit(0);
	}
	struct timespec pause = { .tv_sec = 0, .tv_nsec = 1000000 };
	pid_t r;
	while ((r = waitpid(pid, NULL, WNOHANG)) == 0)
		nanosleep(&pause, NULL);
	if (r < 0)
		err(1, "waitpid");
	printf("parent, *p = %d\n", *p);
	if (munmap(p, sizeof(int)) < 0)
		err(1, "munmap");
	return 0;
usage:
	fprintf(stderr, "usage: anon_share [VALUE]\n");
	return 2;
}
