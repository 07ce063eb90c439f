/*
 * random.c: the random values of a lab's runs, from the grader's seed: the
 * same on every machine, so that --seed replays a grading.
 */
#include "labs/random.h"

unsigned rand_between(unsigned *state, unsigned lo, unsigned hi)
{
	/* xorshift32: small, seedable, and the same on every machine */
	unsigned x = *state ? *state : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return lo + x % (hi - lo + 1);
}

void rand_word(unsigned *state, char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + rand_between(state, 0, 25));
	buf[len] = '\0';
}
