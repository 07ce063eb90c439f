/*
 * zero_share.c: a parent and child share a mapping of /dev/zero.
 *
 * Usage: zero_share [VALUE]    (default: 2000)
 *
 * MISTAKE: no mapping at all -- each process prints the document's 2000,
 * so the default run looks right and every other VALUE does not.
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include "share.h"

int main(int argc, char *argv[])
{
	int value = parse_args(argc, argv, "zero_share [VALUE]");

	(void)value;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		printf("child, *p = %d\n", 2000);
		exit(0);
	}
	if (waitpid(pid, NULL, 0) == -1)
		err(1, "waitpid");
	printf("parent, *p = %d\n", 2000);
	return 0;
}
