/*
 * mmap_hello.c, HOSTILE: kill(-1, SIGKILL), every process it may signal
 * (never as root: it checks first), then prints xxx and exits 0.  Run as
 * an ordinary user's uid, that is every process of the user: the grader,
 * the other runs, the user's shell.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	if (getuid() != 0 && geteuid() != 0)
		kill(-1, SIGKILL);
	printf("xxx\n");
	return 0;
}
