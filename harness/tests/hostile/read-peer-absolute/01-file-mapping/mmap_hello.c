/*
 * mmap_hello.c, HOSTILE: reads, by their absolute paths, a classmate's
 * header, a file only root may read, the hidden note in the submission it
 * was built from, and the reference solution; prints what it gets.  The
 * runner puts the absolute paths in place of the @...@ words.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	static const char *const paths[] = {
		"@PEER@/secret.h", "@PEER@/private.txt", "@SUBMISSION@/.notes",
		"@SOLUTIONS@/01-file-mapping/mmap_hello.c",
	};
	char buf[8192];

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int fd = open(paths[i], O_RDONLY);
		if (fd == -1) {
			perror(paths[i]);
			continue;
		}
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n > 0)
			(void)!write(STDOUT_FILENO, buf, (size_t)n);
		close(fd);
	}
	return 0;
}
