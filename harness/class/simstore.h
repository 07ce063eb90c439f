/*
 * simstore.h: what the similarity tester found for one lab, by pairs of
 * texts (their hashes, sources.h), kept in RESULTS_DIR between runs so that
 * a run compares again only the texts that changed.
 */
#ifndef CLASS_SIMSTORE_H
#define CLASS_SIMSTORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "class/simtool.h"

/* The matches between texts x and y, lines of x first (fa, fb unused). */
struct sim_pair {
	uint64_t x, y;
	struct sim_match *m;
	size_t nm;
	size_t shared;		/* tokens of x in the matches */
	unsigned made;		/* by load (0) or by this run (1) */
};

struct hmap {			/* (x, y) -> index, open addressing */
	struct hslot { uint64_t x, y; size_t v; bool used; } *slot;
	size_t cap, n;
};

struct lab_store {
	uint64_t given;		/* hash of the skeleton's text: another one, another store */
	/* Every pair of `class` was compared, and every one of class x old. */
	uint64_t *class, *old;
	size_t nclass, nold;
	struct hmap tokens;	/* (hash, 0) -> tokens of that text */
	struct hmap index;	/* (x, y), x < y -> pair */
	struct sim_pair *pair;
	size_t npairs;
	unsigned making;	/* what store_add is adding: see sim_pair.made */
};

/* The lab's part of a cache read by json_load_file (NULL: none), if made
 * with the same skeleton; else an empty store. */
void store_load(struct lab_store *s, json_t *cache, const char *lab, uint64_t given);
/* The cache's JSON for every lab (json_object_set_new into `labs`),
 * keeping only the pairs and tokens of texts in class or old. */
json_t *store_json(const struct lab_store *s);
void store_free(struct lab_store *s);

bool store_in(const uint64_t *set, size_t n, uint64_t h);	/* set sorted */
void store_sort(uint64_t *set, size_t n);

bool store_tokens(const struct lab_store *s, uint64_t h, size_t *tokens);
void store_set_tokens(struct lab_store *s, uint64_t h, size_t tokens);
/* The pair of texts x and y, or NULL; *swapped: its x is our y. */
const struct sim_pair *store_pair(const struct lab_store *s, uint64_t x, uint64_t y, bool *swapped);
/* A match between x (lines from_a..to_a) and y.  The first one this run
 * adds to a pair replaces what the cache had for it. */
void store_add(struct lab_store *s, uint64_t x, uint64_t y, const struct sim_match *m);

/* The version of the cache: another way of comparing, another cache. */
#define STORE_VERSION "sim_c -e -r " XSTR(SIM_MIN_RUN) ", sources.c 1"

#endif
