/*
 * mmap_hello.c, HOSTILE: a memory hog.  Maps 64 MiB at a time, for ever,
 * and writes into each (a byte of every 64 KiB: the limit is on the address
 * space, and touching every page would only cost the machine time); the
 * result of mmap is not checked, so once the address space runs out it
 * writes through MAP_FAILED.
 */
#define _DEFAULT_SOURCE
#include <stddef.h>
#include <sys/mman.h>

int main(void)
{
	const size_t chunk = 64 << 20, stride = 64 << 10;

	for (;;) {
		char *p = mmap(NULL, chunk, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (size_t i = 0; i < chunk; i += stride)
			p[i] = 1;
	}
}
