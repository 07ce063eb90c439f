/*
 * mmap_hello.c, HOSTILE: endless stdout.  Prints the expected line, then the
 * same line for ever through stdio.
 */
#include <stdio.h>

int main(void)
{
	for (;;)
		if (fputs("xxx\n", stdout) == EOF)
			return 1;
}
