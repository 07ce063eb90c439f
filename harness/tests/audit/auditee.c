/*
 * auditee.c: the program test_audit.c runs under the audit library, one
 * behaviour per MODE, each shaped like a lab program (or a lab mistake) so
 * the test can check the records the library writes for it.
 *
 * Usage: auditee MODE [FILE]
 *   hello          anonymous mmap and munmap, return from main
 *   fork           shared anonymous mapping, child writes 42, parent waits, prints it
 *   zombie         fork two children that _exit 3; wait for the second only
 *   exec           exec this program again as "auditee-exec hello"
 *   closeall       close, dup2 over, close_range and raw-close every descriptor
 *                  0..1023, then mmap and munmap
 *   stale          raw-close the log's descriptor, put /dev/null at its number,
 *                  close that (prints "close RESULT"), then mmap and munmap
 *   calls FILE     open, ftruncate, mmap twice, fork, close, munmap, unlink FILE;
 *                  prints "CALL RESULT ERRNO" for each (for fault injection)
 *   errno FILE     set errno to EDOM, make the same calls (all succeed), print
 *                  "errno N": successful calls leave errno alone
 *   race           child writes 2000 to a shared mapping; parent sleep(1)s instead
 *                  of waiting, prints "p=VALUE slept_ms=MS", then waits
 *   spin           child writes 2000 to a shared mapping; parent spins until it
 *                  sees it (5 s at most), prints "p=VALUE spun_ms=MS", then waits
 *   pending        printf "abc" with no flush, fork, child _exits, parent waits
 *   sigbus FILE    map two pages of a 1-byte FILE, read the second page
 *   childbus FILE  the same read, but in a forked child; the parent waits
 *   readonly       write to a PROT_READ mapping
 *   mapfailed      write through mmap's result without checking it
 *   unmapped       write to a mapping after munmap
 *   killself       send itself SIGBUS with kill(): no fault to re-run
 *   variants FILE  every function of each injectable kind, in this order:
 *                  open openat creat mkstemp fopen; close x4, fclose; unlink
 *                  unlinkat remove unlink remove; fork x4 reaped by wait waitpid
 *                  wait4 waitid; ftruncate mmap munmap (files FILE.1 ...); prints
 *                  "FUNCTION RESULT ERRNO" for each
 *   childunmap     shared anonymous mapping; the child munmaps it and _exits,
 *                  the parent waits and munmaps it; each prints "WHO munmap R E"
 * Exit 0 when the mode ran; 1 when a call failed; 2 on bad usage.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int *shared_int(void)
{
	int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	return p;
}

static void wait_for(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
}

static void hello(void)
{
	int *p = shared_int();
	if (munmap(p, sizeof(int)) == -1)
		err(1, "munmap");
}

static void fork_child(void)
{
	int *p = shared_int();
	if (fflush(stdout) == EOF)
		err(1, "fflush");
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		*p = 42;
		exit(0);
	}
	wait_for(pid);
	printf("%d\n", *p);
	if (munmap(p, sizeof(int)) == -1)
		err(1, "munmap");
}

static void zombie(void)
{
	pid_t pid = -1;

	for (int child = 0; child < 2; child++) {
		pid = fork();
		if (pid == -1)
			err(1, "fork");
		if (pid == 0)
			_exit(3);
	}
	wait_for(pid);
}

/* Every way of closing a descriptor a program has, the log's included. */
static void closeall(void)
{
	for (int fd = 0; fd < 1024; fd++)
		close(fd);	/* most are not open: errors expected */
	int null = open("/dev/null", O_RDWR);
	if (null != 0)
		_exit(1);	/* stderr is gone: no message */
	for (int fd = 1; fd < 1024; fd++)
		dup2(null, fd);	/* past RLIMIT_NOFILE: EBADF, expected */
	if (close_range(1, ~0U, 0) == -1)
		_exit(1);
	closefrom(1);
	/* Behind the library's back: it must notice and reopen its log. */
	for (int fd = 1; fd < 1024; fd++)
		syscall(SYS_dup2, null, fd);
	for (int fd = 3; fd < 1024; fd++)
		syscall(SYS_close, fd);
	hello();
}

/* The descriptor open on $MMAPAUDIT_LOG, or -1. */
static int log_descriptor(void)
{
	const char *log = getenv("MMAPAUDIT_LOG");
	char link[64], target[4096];

	for (int fd = 0; log != NULL && fd < 1024; fd++) {
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, target, sizeof target - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, log) == 0)
			return fd;
	}
	return -1;
}

/* The log's number, taken behind the library's back, is the program's. */
static void stale(void)
{
	int fd = log_descriptor();
	int null = open("/dev/null", O_RDONLY);

	if (fd == -1 || null == -1)
		errx(1, "no log descriptor, or no /dev/null");
	if (syscall(SYS_close, fd) == -1 || syscall(SYS_dup2, null, fd) == -1)
		err(1, "raw close or dup2");
	printf("close %d\n", close(fd));
	hello();
}

/* Each call's outcome on stdout, so that injected failures show. */
static long report(const char *call, long result)
{
	printf("%s %d %d\n", call, result == -1 ? -1 : 0, result == -1 ? errno : 0);
	return result;
}

static void calls(const char *path)
{
	long pg = sysconf(_SC_PAGESIZE);
	int fd = (int)report("open", open(path, O_RDWR | O_CREAT | O_TRUNC, 0644));
	if (fd == -1)
		return;
	report("ftruncate", ftruncate(fd, pg));
	void *p1 = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	report("mmap", p1 == MAP_FAILED ? -1 : 0);
	void *p2 = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	report("mmap", p2 == MAP_FAILED ? -1 : 0);
	fflush(stdout);
	pid_t pid = report("fork", fork());
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		wait_for(pid);
	report("close", close(fd));
	if (p1 != MAP_FAILED)
		report("munmap", munmap(p1, (size_t)pg));
	if (p2 != MAP_FAILED)
		report("munmap", munmap(p2, (size_t)pg));
	report("unlink", unlink(path));
}

/* No stdio between the calls: stdio itself sets errno (ENOTTY on a pipe). */
static void keep_errno(const char *path)
{
	size_t len = (size_t)sysconf(_SC_PAGESIZE);

	errno = EDOM;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		err(1, "open");
	if (ftruncate(fd, (off_t)len) == -1)
		err(1, "ftruncate");
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0)
		_exit(0);
	wait_for(pid);
	if (munmap(p, len) == -1)
		err(1, "munmap");
	if (unlink(path) == -1)
		err(1, "unlink");
	int e = errno;
	printf("errno %d\n", e);
}

static long long now_ms(void)
{
	struct timespec t;

	if (clock_gettime(CLOCK_MONOTONIC, &t) == -1)
		err(1, "clock_gettime");
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Forks a child that writes 2000 through p and exits. */
static pid_t fork_writer(volatile int *p)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		*p = 2000;
		exit(0);
	}
	return pid;
}

/* The document's mistake: sleep(1) in place of wait. */
static void race(void)
{
	int *p = shared_int();
	pid_t pid = fork_writer(p);
	long long t0 = now_ms();
	sleep(1);
	printf("p=%d slept_ms=%lld\n", *p, now_ms() - t0);
	wait_for(pid);
}

/* A parent that polls the mapping instead of waiting. */
static void spin(void)
{
	volatile int *p = shared_int();
	pid_t pid = fork_writer(p);
	long long t0 = now_ms();
	while (*p == 0 && now_ms() - t0 < 5000)
		;
	printf("p=%d spun_ms=%lld\n", *p, now_ms() - t0);
	wait_for(pid);
}

static void pending(void)
{
	printf("abc");
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0)
		_exit(0);
	wait_for(pid);
	printf("\n");
}

/* Two pages mapped over a 1-byte file: the second page is past its end. */
static volatile char *two_pages(const char *path)
{
	long pg = sysconf(_SC_PAGESIZE);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		err(1, "open");
	if (ftruncate(fd, 1) == -1)
		err(1, "ftruncate");
	char *p = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	return p + pg + 5;
}

/* --- every function that counts for one injectable kind --- */

static char *name_of(char *buf, size_t size, const char *base, const char *suffix)
{
	snprintf(buf, size, "%s.%s", base, suffix);
	return buf;
}

/* One child that _exits at once, reaped by the wait function number how. */
static void fork_and_reap(int how)
{
	static const char *const fn[] = { "wait", "waitpid", "wait4", "waitid" };
	int status;
	siginfo_t si;
	long r;

	fflush(stdout);
	pid_t pid = (pid_t)report("fork", fork());
	if (pid == 0)
		_exit(0);
	if (pid == -1)
		return;
	switch (how) {
	case 0: r = wait(&status); break;
	case 1: r = waitpid(pid, &status, 0); break;
	case 2: r = wait4(pid, &status, 0, NULL); break;
	default: r = waitid(P_PID, (id_t)pid, &si, WEXITED); break;
	}
	report(fn[how], r);
}

static void variants(const char *base)
{
	char n1[PATH_MAX], n2[PATH_MAX], n3[PATH_MAX], n5[PATH_MAX], tmpl[PATH_MAX];
	long pg = sysconf(_SC_PAGESIZE);

	int fd1 = (int)report("open", open(name_of(n1, sizeof n1, base, "1"),
					   O_RDWR | O_CREAT | O_TRUNC, 0644));
	int fd2 = (int)report("openat", openat(AT_FDCWD, name_of(n2, sizeof n2, base, "2"),
					       O_RDWR | O_CREAT | O_TRUNC, 0644));
	int fd3 = (int)report("creat", creat(name_of(n3, sizeof n3, base, "3"), 0644));
	int fd4 = (int)report("mkstemp", mkstemp(name_of(tmpl, sizeof tmpl, base, "XXXXXX")));
	FILE *f5 = fopen(name_of(n5, sizeof n5, base, "5"), "w+");
	report("fopen", f5 == NULL ? -1 : 0);
	report("close", close(fd1));
	report("close", close(fd2));
	report("close", close(fd3));
	report("close", close(fd4));
	if (f5 != NULL)
		report("fclose", fclose(f5) == EOF ? -1 : 0);
	report("unlink", unlink(n1));
	report("unlinkat", unlinkat(AT_FDCWD, n2, 0));
	report("remove", remove(n3));
	report("unlink", unlink(tmpl));
	report("remove", remove(n5));
	for (int how = 0; how < 4; how++)
		fork_and_reap(how);
	int fd = open(n1, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		err(1, "open");
	report("ftruncate", ftruncate(fd, pg));
	void *p = mmap(NULL, (size_t)pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	report("mmap", p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED)
		report("munmap", munmap(p, (size_t)pg));
	unlink(n1);
}

/* The child counts from its parent's counts at the fork, on its own. */
static void child_unmap(void)
{
	int *p = shared_int();
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		int r = munmap(p, sizeof(int));
		dprintf(1, "child munmap %d %d\n", r, r == -1 ? errno : 0);
		_exit(0);
	}
	wait_for(pid);
	int r = munmap(p, sizeof(int));
	dprintf(1, "parent munmap %d %d\n", r, r == -1 ? errno : 0);
}

int main(int argc, char *argv[])
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *file = argc > 2 ? argv[2] : NULL;

	if (strcmp(mode, "hello") == 0) {
		hello();
	} else if (strcmp(mode, "fork") == 0) {
		fork_child();
	} else if (strcmp(mode, "zombie") == 0) {
		zombie();
	} else if (strcmp(mode, "exec") == 0) {
		execl("/proc/self/exe", "auditee-exec", "hello", (char *)NULL);
		err(1, "execl");
	} else if (strcmp(mode, "closeall") == 0) {
		closeall();
	} else if (strcmp(mode, "stale") == 0) {
		stale();
	} else if (strcmp(mode, "calls") == 0 && file != NULL) {
		calls(file);
	} else if (strcmp(mode, "errno") == 0 && file != NULL) {
		keep_errno(file);
	} else if (strcmp(mode, "spin") == 0) {
		spin();
	} else if (strcmp(mode, "race") == 0) {
		race();
	} else if (strcmp(mode, "pending") == 0) {
		pending();
	} else if (strcmp(mode, "sigbus") == 0 && file != NULL) {
		volatile char *past = two_pages(file);
		return *past;
	} else if (strcmp(mode, "childbus") == 0 && file != NULL) {
		volatile char *past = two_pages(file);
		pid_t pid = fork();
		if (pid == -1)
			err(1, "fork");
		if (pid == 0)
			_exit(*past);
		wait_for(pid);
	} else if (strcmp(mode, "readonly") == 0) {
		char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			err(1, "mmap");
		*(volatile char *)p = 1;
	} else if (strcmp(mode, "mapfailed") == 0) {
		/* The lab mistake itself: mmap's result used unchecked. */
		int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		*(volatile int *)p = 1;
	} else if (strcmp(mode, "unmapped") == 0) {
		int *p = shared_int();
		if (munmap(p, sizeof(int)) == -1)
			err(1, "munmap");
		*(volatile int *)p = 1;
	} else if (strcmp(mode, "killself") == 0) {
		if (kill(getpid(), SIGBUS) == -1)
			err(1, "kill");
		printf("survived\n");
	} else if (strcmp(mode, "variants") == 0 && file != NULL) {
		variants(file);
	} else if (strcmp(mode, "childunmap") == 0) {
		child_unmap();
	} else {
		fprintf(stderr, "usage: auditee MODE [FILE] (modes: see the source)\n");
		return 2;
	}
	return 0;
}
