/* fork_share.c: a correct variant: every line goes out with write(2), so no
 * stdio buffer exists at fork or at the child's _exit; the mapping is one page. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int var = 100;

static void say(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			_exit(1);
		s += w;
		n -= (size_t)w;
	}
}

static void fatal(const char *call)
{
	char buf[256];
	snprintf(buf, sizeof buf, "fork_share: %s: %s\n", call, strerror(errno));
	say(2, buf);
	_exit(1);
}

static void usage(void)
{
	say(2, "usage: fork_share [-p] [VALUE [VAR]]\n");
	_exit(2);
}

static int number(const char *s)
{
	if (*s == '\0' || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		usage();
	return atoi(s);
}

int main(int argc, char *argv[])
{
	int shared = 1, i = 1;
	if (i < argc && strcmp(argv[i], "-p") == 0) {
		shared = 0;
		i++;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	else if (i < argc && argv[i][0] == '-')
		usage();
	if (argc - i > 2)
		usage();
	int value = argc - i > 0 ? number(argv[i]) : 2000;
	int nv = argc - i > 1 ? number(argv[i + 1]) : 1000;

	size_t len = (size_t)sysconf(_SC_PAGESIZE);
	char path[] = "./fork_share-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		fatal("mkstemp");
	if (unlink(path) < 0)
		fatal("unlink");
	if (ftruncate(fd, (off_t)len) < 0)
		fatal("ftruncate");
	int *p = mmap(NULL, len, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		fatal("mmap");
	if (close(fd) < 0)
		fatal("close");

	char line[128];
	pid_t pid = fork();
	if (pid < 0)
		fatal("fork");
	if (pid == 0) {
		*p = value;
		var = nv;
		snprintf(line, sizeof line, "child, *p = %d, var = %d\n", *p, var);
		say(1, line);
		_exit(0);
	}
	if (waitpid(pid, NULL, 0) < 0)
		fatal("waitpid");
	snprintf(line, sizeof line, "parent, *p = %d, var = %d\n", *p, var);
	say(1, line);
	if (munmap(p, len) < 0)
		fatal("munmap");
	return 0;
}
