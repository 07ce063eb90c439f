/*
 * mmap_hello.c, HOSTILE: writes a 1 GiB file "hello", 1 MiB at a time.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	static char mib[1 << 20];
	int fd = open("hello", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd == -1)
		return 1;
	for (int i = 0; i < 1024; i++)
		if (write(fd, mib, sizeof(mib)) != (ssize_t)sizeof(mib))
			return 1;
	return close(fd) == -1;
}
