/*
 * mmap_hello.c, HOSTILE: a daemon.  The program forks twice, the grandchild
 * calls setsid() and sleeps for ever with stdout and stderr still open (the
 * grader's pipes never see end-of-file); the main process prints xxx and
 * exits 0 at once.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();

	if (pid == -1)
		return 1;
	if (pid == 0) {
		if (fork() != 0)
			_exit(0);	/* the grandchild goes on alone */
		setsid();
		for (;;)
			pause();
	}
	printf("xxx\n");
	return 0;
}
