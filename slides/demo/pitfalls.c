/*
 * pitfalls.c: make each of the document's seven mmap pitfalls happen and
 * report what the kernel really answers: an errno, a signal, or success.
 *
 * Usage: pitfalls [N]...    (N from 1 to 7; default: all seven)
 *
 * The slides show each pitfall's function next to the lines it prints, so
 * every errno and signal on them comes from a run, not from memory.
 *
 * Memory that should fault is touched in a child process: SIGBUS or SIGSEGV
 * ends only the child, and the parent reports the signal.  The scratch files
 * are unlinked as soon as they are made, so nothing is left behind; a file
 * opened with another mode is reopened through /proc/self/fd.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long page;	/* sysconf(_SC_PAGESIZE) */

/* One line of the report: pitfall number, what was tried, what happened. */
static void say(int n, const char *what, const char *happened)
{
	printf("%d  %-48s %s\n", n, what, happened);
}

/* "EINVAL (Invalid argument)" for errno, or "ok" when the call returned 0. */
static const char *result(int ret)
{
	static char buf[128];

	if (ret == 0)
		return "ok";
	snprintf(buf, sizeof(buf), "%s (%s)", strerrorname_np(errno), strerror(errno));
	return buf;
}

/* The result of an mmap that is expected to fail; undone if it did not. */
static const char *attempt(void *p, size_t len)
{
	if (p == MAP_FAILED)
		return result(-1);
	if (munmap(p, len) == -1)
		err(1, "munmap");
	return "ok";
}

/* A SIZE-byte file starting with "xxx", already unlinked, open O_RDWR. */
static int scratch(off_t size)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/pitfalls.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd == -1)
		err(1, "mkstemp");
	if (unlink(path) == -1)
		err(1, "unlink");
	if (ftruncate(fd, size) == -1)
		err(1, "ftruncate");
	if (size >= 3 && pwrite(fd, "xxx", 3, 0) != 3)
		err(1, "pwrite");
	return fd;
}

/* The same file as FD, opened again with FLAGS (O_RDONLY, O_WRONLY). */
static int reopen(int fd, int flags)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int fd2 = open(path, flags);
	if (fd2 == -1)
		err(1, "open %s", path);
	return fd2;
}

static void closefd(int fd)
{
	if (close(fd) == -1)
		err(1, "close");
}

static void unmap(void *p, size_t len)
{
	if (munmap(p, len) == -1)
		err(1, "munmap");
}

/* Read (or write) *P in a child: "ok", or the signal that killed it. */
static const char *touch(volatile char *p, int write)
{
	static char buf[128];
	int status;

	fflush(stdout);
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		/* The fault is the point: no core file for it. */
		struct rlimit none = { 0, 0 };
		if (setrlimit(RLIMIT_CORE, &none) == -1)
			err(1, "setrlimit");
		if (write)
			*p = 'z';
		else
			(void)*p;
		_exit(0);
	}
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "SIG%s (%s)", sigabbrev_np(WTERMSIG(status)),
			 strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) != 0)
		errx(1, "the child failed");
	else
		return "ok";
	return buf;
}

/* 1: making a mapping reads the file, so even PROT_WRITE needs read access. */
static void pitfall1(void)
{
	int fd = scratch(20), wr = reopen(fd, O_WRONLY);
	void *p = mmap(NULL, 20, PROT_WRITE, MAP_SHARED, wr, 0);
	say(1, "mmap PROT_WRITE, MAP_SHARED, fd O_WRONLY", attempt(p, 20));
	closefd(wr);
	closefd(fd);
}

/* 2: MAP_SHARED may not grant more than the open mode; MAP_PRIVATE may. */
static void pitfall2(void)
{
	int fd = scratch(20), rd = reopen(fd, O_RDONLY);
	char *p = mmap(NULL, 20, PROT_READ | PROT_WRITE, MAP_SHARED, rd, 0);
	say(2, "mmap PROT_READ|PROT_WRITE, MAP_SHARED, O_RDONLY", attempt(p, 20));
	p = mmap(NULL, 20, PROT_READ | PROT_WRITE, MAP_PRIVATE, rd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	say(2, "mmap PROT_READ|PROT_WRITE, MAP_PRIVATE, O_RDONLY", "ok");
	memcpy(p, "yyy", 3);		/* copy-on-write: the page becomes private */
	char file[4] = "", seen[64];
	if (pread(rd, file, 3, 0) != 3)
		err(1, "pread");
	snprintf(seen, sizeof(seen), "memory \"%.3s\", file \"%s\"", p, file);
	say(2, "  write \"yyy\" through it, then look", seen);
	unmap(p, 20);
	closefd(rd);
	closefd(fd);
}

/* 3: the mapping holds its own reference to the file. */
static void pitfall3(void)
{
	int fd = scratch(20);
	char *p = mmap(NULL, 20, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	closefd(fd);
	char seen[64];
	snprintf(seen, sizeof(seen), "%s: \"%.3s\"", touch(p, 0), p);
	say(3, "close(fd), then read the mapping", seen);
	unmap(p, 20);
}

/* 4: no mapping of length 0; a page past the end of the file is SIGBUS. */
static void pitfall4(void)
{
	int fd = scratch(0);
	char *p = mmap(NULL, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	say(4, "mmap length 0", attempt(p, 0));
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	say(4, "mmap one page of a 0-byte file", "ok");
	say(4, "  then write p[0]", touch(p, 1));
	unmap(p, page);

	if (ftruncate(fd, 20) == -1)
		err(1, "ftruncate");
	p = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	closefd(fd);
	char seen[64];
	snprintf(seen, sizeof(seen), "%s: %d", touch(p + 100, 0), p[100]);
	say(4, "20-byte file, 2 pages mapped: read p[100]", seen);
	char what[64];
	snprintf(what, sizeof(what), "  read p[%ld], the second page", page);
	say(4, what, touch(p + page, 0));
	unmap(p, 2 * page);
}

/* 5: munmap wants a page-aligned address; it rounds the length up to pages. */
static void pitfall5(void)
{
	int fd = scratch(20);
	char *p = mmap(NULL, 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	closefd(fd);
	say(5, "munmap(p + 1, 20)", result(munmap(p + 1, 20)));
	say(5, "munmap(p, 4) on a 20-byte mapping", result(munmap(p, 4)));
	say(5, "  then read p[10]", touch(p + 10, 0));
}

/* 6: the offset must be a multiple of the page size. */
static void pitfall6(void)
{
	int fd = scratch(2 * page);
	if (pwrite(fd, "page 2", 6, page) != 6)
		err(1, "pwrite");
	char *p = mmap(NULL, 6, PROT_READ, MAP_SHARED, fd, 100);
	say(6, "mmap offset 100", attempt(p, 6));
	p = mmap(NULL, 6, PROT_READ, MAP_SHARED, fd, page);
	if (p == MAP_FAILED)
		err(1, "mmap");
	closefd(fd);
	char what[64], seen[64];
	snprintf(what, sizeof(what), "mmap offset %ld (the page size)", page);
	snprintf(seen, sizeof(seen), "ok: \"%.6s\"", p);
	say(6, what, seen);
	unmap(p, 6);
}

/* 7: a failed mmap returns MAP_FAILED, (void *)-1, which is not NULL. */
static void pitfall7(void)
{
	int fd = scratch(0);
	char *p = mmap(NULL, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	closefd(fd);
	char seen[64];
	snprintf(seen, sizeof(seen), "%p, %s NULL", (void *)p, p == NULL ? "==" : "not");
	say(7, "a failed mmap returns", seen);
	say(7, "  write through it anyway", touch(p, 1));
}

int main(int argc, char *argv[])
{
	static void (*const pitfall[])(void) = {
		pitfall1, pitfall2, pitfall3, pitfall4, pitfall5, pitfall6, pitfall7,
	};

	page = sysconf(_SC_PAGESIZE);
	if (page == -1)
		err(1, "sysconf");
	if (argc == 1) {
		for (int i = 0; i < 7; i++)
			pitfall[i]();
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		/* Check every argument before running any pitfall. */
		if (argv[i][0] < '1' || argv[i][0] > '7' || argv[i][1] != '\0') {
			fprintf(stderr, "usage: pitfalls [N]...    (N from 1 to 7)\n");
			exit(2);
		}
	}
	for (int i = 1; i < argc; i++)
		pitfall[argv[i][0] - '1']();
	return 0;
}
