/*
 * mmap_hello.c, HOSTILE: writes garbage -- binary bytes and lines shaped
 * like audit records -- to every descriptor from 3 to 1023, whatever may be
 * open there (the audit library's log among them), then does the lab's
 * default run correctly.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	static const char junk[] = "\n\xff\xfe junk\n1 1 1 1 munmap 0 0 0 0x0 99999\n";

	for (int fd = 3; fd < 1024; fd++)
		(void)!write(fd, junk, sizeof(junk));

	int fd = open("hello", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		err(1, "open");
	if (ftruncate(fd, 20) == -1)
		err(1, "ftruncate");
	char *map = mmap(NULL, 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	memcpy(map, "xxx", 3);
	printf("%s\n", map);
	if (munmap(map, 20) == -1)
		err(1, "munmap");
	return 0;
}
