/*
 * sum.h: what sum_read.c and sum_mmap.c share, so that each of them shows
 * only the one thing that differs: how the file's bytes reach memory.
 *
 * fnv1a() is the FNV-1a 64-bit hash (Fowler, Noll, Vo): for each byte,
 * xor it in, then multiply by the FNV prime.  print_sum() prints the line
 * both programs end with: the hash as 16 hex digits, a space, the byte count.
 */
#ifndef SUM_H
#define SUM_H

#include <err.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define FNV1A_OFFSET_BASIS 0xcbf29ce484222325ULL	/* the hash of no bytes */
#define FNV1A_PRIME 0x100000001b3ULL

/* The hash h of what came before, continued over len more bytes at data. */
static inline uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	/* BEGIN SOLUTION */
	/* unsigned char: a byte 0x80..0xff is 128..255, never a negative
	 * number whose sign would be xored into every bit above it. */
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h *= FNV1A_PRIME;	/* MISTAKE: FNV-1: multiply first, then xor */
		h ^= p[i];
	}
	return h;
	/* END SOLUTION */
	//> /* TODO: for each byte (as an unsigned char): h ^= byte; h *= FNV1A_PRIME. */
	//> (void)data;
	//> errx(1, "not implemented: the FNV-1a hash of %zu bytes (from %016" PRIx64 ")",
	//>      len, h);
}

/* The program's one line of output; a failed write to stdout is an error. */
static inline void print_sum(uint64_t hash, uint64_t bytes)
{
	printf("%016" PRIx64 " %" PRIu64 "\n", hash, bytes);
	if (fflush(stdout) == EOF)
		err(1, "write");
}

/* FILE, the one operand; bad usage exits 2 with a usage line. */
static inline const char *parse_args(int argc, char *argv[], const char *prog)
{
	if (getopt(argc, argv, "+") != -1 || argc - optind != 1) {
		fprintf(stderr, "usage: %s FILE\n", prog);
		exit(2);
	}
	return argv[optind];
}

#endif
