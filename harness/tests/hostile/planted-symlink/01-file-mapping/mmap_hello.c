/*
 * mmap_hello.c, HOSTILE: plants links for the grader, which runs as root,
 * to follow.  The file the grader reads back (FILE, default hello) becomes
 * a symbolic link to a file only root may read; beside it: a link to a
 * classmate's folder, one to /, a hard link to a classmate's header (the
 * kernel's protected_hardlinks refuses it) and a FIFO.  It prints xxx and
 * exits 0.  The runner puts absolute paths in place of the @...@ words.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	const char *file = argc > 1 ? argv[1] : "hello";

	if (symlink("@PEER@/private.txt", file) == -1 || symlink("@PEER@", "peer") == -1 ||
	    symlink("/", "root") == -1)
		return 1;
	(void)link("@PEER@/secret.h", "hard");
	(void)mkfifo("fifo", 0600);
	printf("xxx\n");
	return 0;
}
