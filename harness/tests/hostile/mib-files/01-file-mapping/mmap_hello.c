/*
 * mmap_hello.c, HOSTILE: fills its working directory with 1 MiB files (the
 * file-size limit) until a write fails, then prints xxx and exits 0.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	static char mib[1 << 20];

	for (int i = 0; i < 4096; i++) {
		char name[32];
		snprintf(name, sizeof(name), "filler-%04d", i);
		int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd == -1)
			return 1;
		ssize_t n = write(fd, mib, sizeof(mib));
		close(fd);
		if (n != (ssize_t)sizeof(mib))
			return 1;
	}
	printf("xxx\n");
	return 0;
}
