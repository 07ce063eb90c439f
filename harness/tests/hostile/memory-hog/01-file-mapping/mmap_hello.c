/*
 * mmap_hello.c, HOSTILE: a memory hog.  Maps 64 MiB at a time and touches
 * every page, for ever; the result of mmap is not checked, so once the
 * address space runs out it writes through MAP_FAILED.
 */
#define _DEFAULT_SOURCE
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	const size_t chunk = 64 << 20;
	long page = sysconf(_SC_PAGESIZE);

	for (;;) {
		char *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (size_t i = 0; i < chunk; i += (size_t)page)
			p[i] = 1;
	}
}
