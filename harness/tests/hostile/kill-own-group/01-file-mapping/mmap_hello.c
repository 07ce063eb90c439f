/*
 * mmap_hello.c, HOSTILE: prints xxx, then kill(0, SIGKILL): every process
 * of its own process group, itself included, dies.
 */
#include <signal.h>
#include <stdio.h>

int main(void)
{
	printf("xxx\n");
	fflush(stdout);
	kill(0, SIGKILL);
	return 0;
}
