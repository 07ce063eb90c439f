/*
 * mmap_hello.c, HOSTILE: sleeps for ever in pause(), using no CPU; only the
 * wall clock ends it.
 */
#include <unistd.h>

int main(void)
{
	for (;;)
		pause();
}
