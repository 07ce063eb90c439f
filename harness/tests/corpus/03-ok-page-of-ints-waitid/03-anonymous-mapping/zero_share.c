/* zero_share.c: a correct variant: one page of ints, waitid(P_PID). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void fatal(const char *call)
{
	fprintf(stderr, "zero_share: %s: %s\n", call, strerror(errno));
	exit(1);
}

int main(int argc, char *argv[])
{
	int value = 2000;
	int first = 1;
	if (argc > 1 && argv[1][0] == '-') {
		if (strcmp(argv[1], "--") != 0)
			goto usage;
		first = 2;
	}
	if (argc - first > 1)
		goto usage;
	if (argc - first == 1) {
		char *end;
		const char *s = argv[first];
		if (*s < '0' || *s > '9')
			goto usage;
		errno = 0;
		long v = strtol(s, &end, 10);
		if (*end || errno || v > 0x7fffffffL)
			goto usage;
		value = (int)v;
	}
	size_t len = (size_t)sysconf(_SC_PAGESIZE);
	int fd = open("/dev/zero", O_RDWR);
	if (fd == -1)
		fatal("open");
	int *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		fatal("mmap");
	if (close(fd) == -1)
		fatal("close");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == -1)
		fatal("fork");
	if (pid == 0) {
		p[0] = value;
		printf("child, *p = %d\n", p[0]);
		exit(0);
	}
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)pid, &si, WEXITED) == -1)
		fatal("waitid");
	printf("parent, *p = %d\n", p[0]);
	if (munmap(p, len) == -1)
		fatal("munmap");
	return 0;
usage:
	fprintf(stderr, "usage: zero_share [VALUE]\n");
	return 2;
}
