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

	/* BEGIN SOLUTION */
	int fd = open("/dev/zero", O_RDWR);
	if (fd == -1)
		err(1, "open");
	int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	if (close(fd) == -1)
		err(1, "close");
	/* END SOLUTION */
	//> /*
	//>  * TODO: open /dev/zero read-write; map sizeof(int) bytes of it
	//>  *       PROT_READ|PROT_WRITE, MAP_SHARED (compare with MAP_FAILED);
	//>  *       close the descriptor.  Then finish share_with_child() in share.h.
	//>  */
	//> int *p = NULL;
	//> errx(1, "not implemented: a shared mapping of /dev/zero for %d", value);
	share_with_child(p, value);
	return 0;
}
