/*
 * zero_share.c: a parent and child share a mapping of /dev/zero.
 *
 * Usage: zero_share [VALUE]    (default: 2000)
 *
 * Before MAP_ANONYMOUS existed (and on systems without it) an anonymous shared
 * mapping was made by mapping /dev/zero MAP_SHARED: the kernel hands out fresh
 * zero pages, shared with the children forked afterwards.  The descriptor can
 * be closed at once (pitfall 3).  The fork/wait dance is in share.h.
 *
 * Where this departs from the document, and why: the document's sketch has a
 * typo (MMAP_SHARED) and leaves open unchecked; here open, mmap and close are
 * checked, and the parent waits for the child instead of sleeping.
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include "share.h"

int main(int argc, char *argv[])
{
	int value = parse_args(argc, argv, "zero_share [VALUE]");

	int fd = open("/dev/zero", O_RDWR);	/* MISTAKE: open is not checked (the document does the same) */
	int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	share_with_child(p, value);
	return 0;
}
