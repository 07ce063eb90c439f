/*
 * judges.c: the judge functions of the labs' tables (see judges.h).
 */
#include "labs/judges.h"

#include <stdlib.h>
#include <sys/mman.h>

#include "audit/memory.h"
#include "labs/judge.h"
#include "run/sys.h"

void blame(struct check *c, const struct lab_run *r)
{
	free(c->cmdline);
	c->cmdline = xstrdup(r->t.cmdline);
}

/* Every run, in turn, by one; false at the first that fails. */
#define EACH(c, runs, n, one)                           \
	for (size_t i_ = 0; i_ < (n); i_++)             \
		if (!(one)) {                           \
			blame((c), (runs)[i_]);         \
			return false;                   \
		}                                       \
	return true

#define T (&runs[i_]->t)

bool judge_exits_clean(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		       size_t n)
{
	(void)def;
	EACH(c, runs, n, judge_clean_exit(c, T));
}

bool judge_refuses(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		   size_t n)
{
	(void)def;
	EACH(c, runs, n, judge_refused(c, T, false));
}

bool judge_refuses_usage(struct check *c, const struct lab_check *def,
			 struct lab_run *const *runs, size_t n)
{
	(void)def;
	EACH(c, runs, n, judge_refused(c, T, true));
}

bool judge_leaves_folder_empty(struct check *c, const struct lab_check *def,
			       struct lab_run *const *runs, size_t n)
{
	(void)def;
	EACH(c, runs, n, judge_clean_exit(c, T) &&
			 judge_dir_holds(c, T, (const char *[]){ NULL }));
}

static bool maps(struct check *c, struct lab_run *const *runs, size_t n, enum map_kind kind,
		 enum map_sharing shared, int prot)
{
	/* Issue 14: the memory picture as evidence, once the calls are right. */
	EACH(c, runs, n, judge_mapping(c, trial_audited(T), kind, shared, prot) &&
	     (shared == MAP_MUST_SHARE ? judge_memory_shared(c, trial_audited(T)) :
	      shared != MAP_MUST_BE_PRIVATE || judge_memory_private(c, trial_audited(T))));
}

#define MAPS(fn, kind, shared, prot)                                                     \
	bool fn(struct check *c, const struct lab_check *def, struct lab_run *const *runs, \
		size_t n)                                                                \
	{                                                                                \
		(void)def;                                                               \
		return maps(c, runs, n, kind, shared, prot);                             \
	}
MAPS(judge_maps_file_shared, MAP_KIND_FILE, MAP_MUST_SHARE, PROT_READ | PROT_WRITE)
MAPS(judge_maps_file_private, MAP_KIND_FILE, MAP_MUST_BE_PRIVATE, PROT_READ | PROT_WRITE)
MAPS(judge_maps_file_for_writing, MAP_KIND_FILE, MAP_MUST_SHARE, PROT_WRITE)
MAPS(judge_maps_file_for_reading, MAP_KIND_FILE, MAP_EITHER, PROT_READ)
MAPS(judge_maps_anonymous, MAP_KIND_ANONYMOUS, MAP_MUST_SHARE, PROT_READ | PROT_WRITE)
MAPS(judge_maps_dev_zero, MAP_KIND_DEV_ZERO, MAP_MUST_SHARE, PROT_READ | PROT_WRITE)

bool judge_closes_after_mmap(struct check *c, const struct lab_check *def,
			     struct lab_run *const *runs, size_t n)
{
	(void)def;
	EACH(c, runs, n, judge_closed_after_mmap(c, trial_audited(T)));
}

bool judge_unmaps_exactly(struct check *c, const struct lab_check *def,
			  struct lab_run *const *runs, size_t n)
{
	(void)def;
	EACH(c, runs, n, judge_unmapped_exactly(c, trial_audited(T)));
}

bool judge_flushes_stdout(struct check *c, const struct lab_check *def,
			  struct lab_run *const *runs, size_t n)
{
	(void)def;
	EACH(c, runs, n, judge_stdout_flushed(c, trial_audited(T)));
}
