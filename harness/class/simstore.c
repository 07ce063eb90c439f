/*
 * simstore.c: the similarity results by pairs of texts, and their cache
 * (see simstore.h).  In RESULTS_DIR/.similarity-cache.json:
 *   {"version", "labs": {LAB: {"given", "class": [HASH], "old": [HASH],
 *    "tokens": {HASH: N}, "pairs": [[X, Y, [[FROM_A, TO_A, FROM_B, TO_B, N]]]]}}}
 * Hashes are 16 hex digits.  A cache that does not read as this is ignored.
 */
#define _GNU_SOURCE
#include "class/simstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/sys.h"

static size_t slot_of(const struct hmap *m, uint64_t x, uint64_t y)
{
	uint64_t h = (x ^ (y * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
	size_t i = (size_t)(h >> 17) & (m->cap - 1);

	while (m->slot[i].used && !(m->slot[i].x == x && m->slot[i].y == y))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static bool hmap_get(const struct hmap *m, uint64_t x, uint64_t y, size_t *v)
{
	if (m->cap == 0)
		return false;
	size_t i = slot_of(m, x, y);
	if (!m->slot[i].used)
		return false;
	*v = m->slot[i].v;
	return true;
}

static void hmap_put(struct hmap *m, uint64_t x, uint64_t y, size_t v)
{
	if (2 * (m->n + 1) > m->cap) {
		struct hmap bigger = { .cap = m->cap ? 2 * m->cap : 64 };
		bigger.slot = xcalloc(bigger.cap, sizeof(*bigger.slot));
		for (size_t i = 0; i < m->cap; i++)
			if (m->slot[i].used)
				bigger.slot[slot_of(&bigger, m->slot[i].x, m->slot[i].y)] = m->slot[i];
		bigger.n = m->n;
		free(m->slot);
		*m = bigger;
	}
	size_t i = slot_of(m, x, y);
	m->n += !m->slot[i].used;
	m->slot[i] = (struct hslot){ x, y, v, true };
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void store_sort(uint64_t *set, size_t n)
{
	if (n > 1)
		qsort(set, n, sizeof(*set), cmp_u64);
}

bool store_in(const uint64_t *set, size_t n, uint64_t h)
{
	return n > 0 && bsearch(&h, set, n, sizeof(*set), cmp_u64) != NULL;
}

bool store_tokens(const struct lab_store *s, uint64_t h, size_t *tokens)
{
	return hmap_get(&s->tokens, h, 0, tokens);
}

void store_set_tokens(struct lab_store *s, uint64_t h, size_t tokens)
{
	hmap_put(&s->tokens, h, 0, tokens);
}

const struct sim_pair *store_pair(const struct lab_store *s, uint64_t x, uint64_t y, bool *swapped)
{
	size_t v;

	*swapped = x > y;
	if (!hmap_get(&s->index, *swapped ? y : x, *swapped ? x : y, &v))
		return NULL;
	return &s->pair[v];
}

void store_add(struct lab_store *s, uint64_t x, uint64_t y, const struct sim_match *m)
{
	struct sim_match add = *m;
	size_t v;

	if (x == y)
		return;
	if (x > y) {	/* the smaller hash's lines first */
		uint64_t t = x;
		x = y;
		y = t;
		add = (struct sim_match){ .from_a = m->from_b, .to_a = m->to_b, .from_b = m->from_a,
					  .to_b = m->to_a, .tokens = m->tokens };
	}
	if (!hmap_get(&s->index, x, y, &v)) {
		v = s->npairs;
		s->pair = xrealloc(s->pair, (s->npairs + 1) * sizeof(*s->pair));
		s->pair[s->npairs++] = (struct sim_pair){ .x = x, .y = y, .made = s->making };
		hmap_put(&s->index, x, y, v);
	}
	struct sim_pair *p = &s->pair[v];
	if (p->made != s->making) {
		p->nm = 0;
		p->shared = 0;
		p->made = s->making;
	}
	p->m = xrealloc(p->m, (p->nm + 1) * sizeof(*p->m));
	p->m[p->nm++] = add;
	p->shared += add.tokens;
}

static bool hash_of(json_t *v, uint64_t *h)
{
	const char *s = json_string_value(v);
	char *end;

	if (s == NULL || strlen(s) != 16)
		return false;
	*h = strtoull(s, &end, 16);
	return *end == '\0';
}

static json_t *hash_json(uint64_t h)
{
	char hex[17];

	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)h);
	return json_string(hex);
}

static uint64_t *hash_set(json_t *arr, size_t *n)
{
	uint64_t *set = xcalloc(json_array_size(arr) + 1, sizeof(*set));
	size_t i;
	json_t *v;

	*n = 0;
	json_array_foreach(arr, i, v)
		if (hash_of(v, &set[*n]))
			(*n)++;
	store_sort(set, *n);
	return set;
}

static json_int_t number(json_t *arr, size_t i)
{
	json_int_t v = json_integer_value(json_array_get(arr, i));

	return v > 0 ? v : 0;
}

void store_load(struct lab_store *s, json_t *cache, const char *lab, uint64_t given)
{
	json_t *mine = json_object_get(json_object_get(cache, "labs"), lab), *v, *p;
	const char *key;
	uint64_t h, g;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->given = given;
	s->making = 1;
	if (!json_is_string(json_object_get(cache, "version")) ||
	    strcmp(json_string_value(json_object_get(cache, "version")), STORE_VERSION) != 0 ||
	    !hash_of(json_object_get(mine, "given"), &g) || g != given) {
		s->class = xcalloc(1, sizeof(*s->class));
		s->old = xcalloc(1, sizeof(*s->old));
		return;
	}
	s->making = 0;
	s->class = hash_set(json_object_get(mine, "class"), &s->nclass);
	s->old = hash_set(json_object_get(mine, "old"), &s->nold);
	json_object_foreach(json_object_get(mine, "tokens"), key, v) {
		json_t *k = json_string(key);
		if (hash_of(k, &h) && json_is_integer(v) && json_integer_value(v) >= 0)
			store_set_tokens(s, h, (size_t)json_integer_value(v));
		json_decref(k);
	}
	json_array_foreach(json_object_get(mine, "pairs"), i, p) {
		uint64_t x, y;
		size_t j;
		json_t *m;
		if (!hash_of(json_array_get(p, 0), &x) || !hash_of(json_array_get(p, 1), &y))
			continue;
		json_array_foreach(json_array_get(p, 2), j, m) {
			struct sim_match sm = { .from_a = (size_t)number(m, 0), .to_a = (size_t)number(m, 1),
						.from_b = (size_t)number(m, 2), .to_b = (size_t)number(m, 3),
						.tokens = (size_t)number(m, 4) };
			if (sm.from_a <= sm.to_a && sm.from_b <= sm.to_b)
				store_add(s, x, y, &sm);
		}
	}
	s->making = 1;
}

static bool kept(const struct lab_store *s, uint64_t h)
{
	return store_in(s->class, s->nclass, h) || store_in(s->old, s->nold, h);
}

json_t *store_json(const struct lab_store *s)
{
	json_t *class = json_array(), *old = json_array(), *tokens = json_object(), *pairs = json_array();

	for (size_t i = 0; i < s->nclass; i++)
		json_array_append_new(class, hash_json(s->class[i]));
	for (size_t i = 0; i < s->nold; i++)
		json_array_append_new(old, hash_json(s->old[i]));
	for (size_t i = 0; i < s->tokens.cap; i++)
		if (s->tokens.slot[i].used && kept(s, s->tokens.slot[i].x)) {
			json_t *k = hash_json(s->tokens.slot[i].x);
			json_object_set_new(tokens, json_string_value(k),
					    json_integer((json_int_t)s->tokens.slot[i].v));
			json_decref(k);
		}
	for (size_t i = 0; i < s->npairs; i++) {
		const struct sim_pair *p = &s->pair[i];
		/* Both in old: never compared, never kept. */
		if (!kept(s, p->x) || !kept(s, p->y) ||
		    (!store_in(s->class, s->nclass, p->x) && !store_in(s->class, s->nclass, p->y)))
			continue;
		json_t *m = json_array();
		for (size_t j = 0; j < p->nm; j++)
			json_array_append_new(m, json_pack("[I,I,I,I,I]", (json_int_t)p->m[j].from_a,
							   (json_int_t)p->m[j].to_a, (json_int_t)p->m[j].from_b,
							   (json_int_t)p->m[j].to_b, (json_int_t)p->m[j].tokens));
		json_array_append_new(pairs, json_pack("[o,o,o]", hash_json(p->x), hash_json(p->y), m));
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "given", hash_json(s->given), "class", class,
			 "old", old, "tokens", tokens, "pairs", pairs);
}

void store_free(struct lab_store *s)
{
	for (size_t i = 0; i < s->npairs; i++)
		free(s->pair[i].m);
	free(s->pair);
	free(s->class);
	free(s->old);
	free(s->tokens.slot);
	free(s->index.slot);
	memset(s, 0, sizeof(*s));
}
