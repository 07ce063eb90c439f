/*
 * anon_share.c: a parent and child share an anonymous mapping (匿名映射).
 *
 * Usage: anon_share [VALUE]    (default: 2000)
 *
 * MAP_SHARED|MAP_ANONYMOUS gives zero-filled memory backed by no file at all,
 * yet shared with every child forked afterwards: no temporary file to create,
 * unlink and close.  The fork/wait dance is in share.h.
 *
 * Where this departs from the document's third example, and why: the parent
 * waits for the child before reading instead of sleep(1), stdout is flushed
 * before fork, and the mapping is unmapped with the length it was made with.
 */
#define _DEFAULT_SOURCE
#include "share.h"

int main(int argc, char *argv[])
{
	int value = parse_args(argc, argv, "anon_share [VALUE]");

	/* fd -1 and offset 0: Linux ignores them for MAP_ANONYMOUS, others insist. */
	int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap error");	/* MISTAKE: the message is not "anon_share: mmap: reason" */
		exit(1);
	}
	share_with_child(p, value);
	return 0;
}
