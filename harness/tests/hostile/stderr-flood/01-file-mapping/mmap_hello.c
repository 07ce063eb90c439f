/*
 * mmap_hello.c, HOSTILE: endless stderr, written with write(2) in 4 KiB
 * blocks, never a byte on stdout.
 */
#include <string.h>
#include <unistd.h>

int main(void)
{
	char block[4096];

	memset(block, 'E', sizeof(block));
	while (write(STDERR_FILENO, block, sizeof(block)) > 0)
		continue;
	return 1;
}
