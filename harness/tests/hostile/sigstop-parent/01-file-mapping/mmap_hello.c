/*
 * mmap_hello.c, HOSTILE: stops whoever started it.  SIGSTOP goes to its
 * parent and to the parent's process group, then it prints xxx and exits 0.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	pid_t parent = getppid();

	kill(parent, SIGSTOP);
	kill(-getpgid(parent), SIGSTOP);
	printf("xxx\n");
	return 0;
}
