/*
 * (A correct variant: the parent sleeps in sigsuspend until SIGCHLD, then
 * reaps the child with waitpid before it reads.)
 *
 * fork_share.c: a parent and its child share a file mapping across fork().
 *
 * Usage: fork_share [-p] [VALUE [VAR]]    (defaults: 2000 1000)
 *
 * The parent maps a temporary file MAP_SHARED, forks, and the child writes
 * VALUE through the mapping and VAR into the global variable var.  After the
 * child has ended, the parent reads both: it sees the child's VALUE (the
 * mapping is shared) but still var = 100 (the rest of memory was copied at
 * fork).  With -p the mapping is MAP_PRIVATE and the parent sees *p = 0 too.
 *
 * Where this departs from the document's example 2, and why:
 *  - the parent waits for the child *before* reading; the document's sleep(1)
 *    only makes the race unlikely, and a busy machine loses it.
 *  - stdout is flushed before fork(): anything still in the buffer would be
 *    printed twice, once by each process, when stdout is a pipe.
 *  - the temporary file comes from mkstemp (a fresh name, no race with another
 *    run) and ftruncate is checked: a 0-byte file would make *p = VALUE SIGBUS.
 *  - every call is checked; errors go to stderr as "fork_share: CALL: reason".
 */
#define _DEFAULT_SOURCE
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int var = 100;

static volatile sig_atomic_t child_done;

static void on_chld(int sig)
{
	(void)sig;
	child_done = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: fork_share [-p] [VALUE [VAR]]\n");
	exit(2);
}

/* Digits only: "-1", "+3", " 7" and "2e3" are usage errors. */
static int parse_value(const char *s)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v > INT_MAX)
		usage();
	return (int)v;
}

int main(int argc, char *argv[])
{
	int flags = MAP_SHARED;
	int opt;

	while ((opt = getopt(argc, argv, "+p")) != -1) {
		if (opt != 'p')
			usage();
		flags = MAP_PRIVATE;
	}
	if (argc - optind > 2)
		usage();
	int value = argc - optind > 0 ? parse_value(argv[optind]) : 2000;
	int var_value = argc - optind > 1 ? parse_value(argv[optind + 1]) : 1000;

	char path[] = "fork_share.XXXXXX";
	int fd = mkstemp(path);
	if (fd == -1)
		err(1, "mkstemp");
	/* The open descriptor keeps the file alive; unlinking now means nothing
	 * is left behind, however the program ends. */
	if (unlink(path) == -1)
		err(1, "unlink");
	if (ftruncate(fd, sizeof(int)) == -1)
		err(1, "ftruncate");
	int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");

	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, &old) == -1)
		err(1, "sigprocmask");
	struct sigaction sa = { .sa_handler = on_chld };
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) == -1)
		err(1, "sigaction");
	/* Whatever is still buffered would be printed by both processes. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		*p = value;
		var = var_value;
		printf("child, *p = %d, var = %d\n", *p, var);
		exit(0);	/* flushes stdout; the mapping goes with the process */
	}

	/* Read only after the child is done: this, not sleep(1), orders the two. */
	while (!child_done)
		sigsuspend(&old);
	int status;
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errx(1, "the child did not exit cleanly");
	printf("parent, *p = %d, var = %d\n", *p, var);

	if (munmap(p, sizeof(int)) == -1)
		err(1, "munmap");
	return 0;
}
