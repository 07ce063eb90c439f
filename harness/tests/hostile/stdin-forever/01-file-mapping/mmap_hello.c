/*
 * mmap_hello.c, HOSTILE: waits for a line "go" on stdin before doing
 * anything.  The grader's stdin is /dev/null: read() returns 0 (end of file)
 * at once, every time, and the loop asks again -- a busy loop of system
 * calls, not a wait.
 */
#include <string.h>
#include <unistd.h>

int main(void)
{
	char line[64];
	ssize_t n;

	do
		n = read(STDIN_FILENO, line, sizeof(line) - 1);
	while (n >= 0 && !(n == 3 && memcmp(line, "go\n", 3) == 0));
	return n < 0;
}
