/*
 * memee.c: the program test_memory.c runs under the audit library to draw
 * memory pictures from, one shape of lab 02/03 program per MODE, odd ones
 * and hostile ones included.  The child stores, exits; the parent waits,
 * then prints what it reads ("parent V").
 *
 * Usage: memee MODE PAGES PAGE
 *   shared         MAP_SHARED|MAP_ANONYMOUS, PAGES pages; the child stores at PAGE
 *   private        MAP_PRIVATE of a PAGES-page file; the child stores at PAGE
 *   twice          shared, and the child stores twice (1, then 2)
 *   nostore        shared, and the child stores nothing
 *   twomaps        a private file mapping, then a shared anonymous one; the
 *                  child stores in both (the private one first)
 *   forge-garbage  shared; the child writes a line of garbage into the log
 *   forge-copy     private; the child writes, before it exits, a memory
 *                  record that says its page is the parent's (a shared one)
 *   forge-address  shared; the child writes a memory record of an address it
 *                  never mapped
 *   forge-twin     shared; the child writes a record numbered to sit right before
 *                  the library's own (its fork record is 1): a twin of the real one
 * Exit 0 when the mode ran; 1 when a call failed; 2 on bad usage.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* The audit log's descriptor, found the way a hostile program would. */
static int log_fd(void)
{
	const char *want = getenv("MMAPAUDIT_LOG");
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char link[300], target[4096];
	int found = -1;

	if (want == NULL || d == NULL)
		errx(1, "no log to forge into");
	while ((e = readdir(d)) != NULL) {
		snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
		ssize_t n = readlink(link, target, sizeof target - 1);
		if (n > 0) {
			target[n] = '\0';
			if (strcmp(target, want) == 0)
				found = atoi(e->d_name);
		}
	}
	closedir(d);
	if (found < 0)
		errx(1, "the log's descriptor is not open");
	return found;
}

static void forge(const char *mode, char *map, long len)
{
	char line[512];
	int n;

	if (strcmp(mode, "forge-garbage") == 0)
		n = snprintf(line, sizeof line, "this is not a record\n");
	else
		/* A plausible record: page frame 0x1234 present, file/shared. */
		n = snprintf(line, sizeof line, "%d %d %d 1 memory 0 0 0 child-exit %p %ld 0x1 4 0 4 1 "
			     "0xa000000000001234 0x0 0x0 0x0 0x0 0x0 0x0 0x0\n",
			     strcmp(mode, "forge-twin") == 0 ? 1 : 7, getpid(), getppid(),
			     strcmp(mode, "forge-address") == 0 ? (void *)0x10000 : (void *)map, len);
	if (write(log_fd(), line, (size_t)n) != n)
		err(1, "write");
}

static char *map_file(long len)
{
	char name[] = "memee.XXXXXX";
	int fd = mkstemp(name);

	if (fd == -1 || unlink(name) == -1 || ftruncate(fd, len) == -1)
		err(1, "temp file");
	char *p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	close(fd);
	return p;
}

int main(int argc, char *argv[])
{
	if (argc != 4)
		errx(2, "usage: memee MODE PAGES PAGE");
	const char *mode = argv[1];
	long page = sysconf(_SC_PAGESIZE), len = atol(argv[2]) * page, at = atol(argv[3]) * page;
	bool private = strcmp(mode, "private") == 0 || strcmp(mode, "forge-copy") == 0;
	char *other = strcmp(mode, "twomaps") == 0 ? map_file(len) : NULL;
	char *p = private ? map_file(len) :
		mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || len <= 0 || at < 0 || at >= len)
		errx(1, "bad mapping");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		if (strcmp(mode, "nostore") != 0)
			p[at] = 1;
		if (strcmp(mode, "twice") == 0)
			p[at] = 2;
		if (other != NULL)
			other[at] = 3;
		if (strncmp(mode, "forge-", 6) == 0)
			forge(mode, p, len);
		exit(0);
	}
	if (waitpid(pid, NULL, 0) != pid)
		err(1, "waitpid");
	printf("parent %d\n", p[at]);
	if (munmap(p, (size_t)len) == -1 || (other != NULL && munmap(other, (size_t)len) == -1))
		err(1, "munmap");
	return 0;
}
