/*
 * engine.c: the lab engine (see engine.h): a lab's runs started together,
 * then its table of checks judged in order.
 */
#define _GNU_SOURCE
#include "labs/engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/memory.h"
#include "audit/trace.h"
#include "lang/lang.h"
#include "labs/labs.h"
#include "run/sys.h"

static char **copy_args(const char *const *args)
{
	size_t n = 0;

	while (args != NULL && args[n] != NULL)
		n++;
	char **v = xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(args[i]);
	return v;
}

struct lab_run *plan_run(struct lab_plan *p, const char *name, const char *prog,
			 const char *const *args)
{
	if (p->n == MAX_RUNS)
		die(_("a lab plans more than %d runs"), MAX_RUNS);
	struct lab_run *r = &p->runs[p->n++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->prog = prog;
	r->args = copy_args(args);
	return r;
}

void plan_then(struct lab_run *r, const char *prog, const char *const *args)
{
	r->then_prog = prog;
	r->then_args = copy_args(args);
}

void run_label(struct lab_run *r, const char *fmt, ...)
{
	va_list ap;

	free(r->label);
	va_start(ap, fmt);
	if (vasprintf(&r->label, fmt, ap) < 0)
		die(_("out of memory"));
	va_end(ap);
}

/* At most this many runs go on at once: a lab's runs fit in two rounds,
 * so a lab whose every run hangs costs two wall-clock limits; and a grading
 * holds at most this many programs' memory. */
#define MAX_AT_ONCE 16

/* The runs of one lab's grading: started in plan order, MAX_AT_ONCE at most
 * going on at a time. */
struct engine {
	const struct grader *g;
	const struct lab *lab;
	struct lab_plan plan;
	struct trial_step steps[MAX_RUNS][2];
	size_t next;			/* the first run not started */
	size_t oldest;			/* no run before it is still going on */
	size_t going;			/* started, not finished */
};

/* Starts the next run of the plan in a fresh folder, in a worker of its own. */
/* Issue 14: the memory picture of the default, random and -p runs. */
static bool pictured(const char *run)
{
	size_t n = strlen(run);

	return strstr(run, "random") != NULL || (n >= 7 && strcmp(run + n - 7, "default") == 0) ||
	       strcmp(run, "-p") == 0;
}

static void start_next(struct engine *e)
{
	struct lab_run *r = &e->plan.runs[e->next];
	struct trial_step *steps = e->steps[e->next++];
	char *rule = r->fail ? xasprintf("MMAPAUDIT_FAIL=%s:1:%d", r->fail, r->fail_err) : NULL;
	const char *const *env = rule ? (const char *const[]){ rule, NULL } : r->env;

	if (env == NULL && grading_memory && pictured(r->name))
		env = memory_env;	/* issue 14 */

	steps[0] = (struct trial_step){ r->prog, (const char *const *)r->args };
	steps[1] = (struct trial_step){ r->then_prog, (const char *const *)r->then_args };
	struct grader g = *e->g;	/* with the run's own limits, if it has any */
	if (r->cpu_sec > 0)
		g.limits.cpu_sec = r->cpu_sec;
	if (r->wall_sec > 0)
		g.limits.wall_sec = r->wall_sec;
	trial_init(e->g, &r->t);
	if (r->prepare != NULL)
		r->prepare(r, r->t.dir);
	trial_start(&g, &r->t, e->lab->id, steps, r->then_prog ? 2 : 1, env);
	if (r->label == NULL)
		r->label = xstrdup(r->t.cmdline);
	e->going++;
	free(rule);
}

/* Waits for r, then starts what the room it leaves allows. */
static void finish(struct engine *e, struct lab_run *r)
{
	trial_finish(e->g, &r->t);
	e->going--;
	while (e->going < MAX_AT_ONCE && e->next < e->plan.n)
		start_next(e);
}

/* r, started and finished. */
static void need(struct engine *e, struct lab_run *r)
{
	while (r->t.dir == NULL) {	/* not started: wait for the oldest going on */
		while (e->plan.runs[e->oldest].t.worker == 0)
			e->oldest++;
		finish(e, &e->plan.runs[e->oldest]);
	}
	if (r->t.worker != 0)
		finish(e, r);
}

/* Does the table's run name `pattern` name the run called name?  A final
 * '*' stands for any end: "anon no *". */
static bool names(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);

	if (n > 0 && pattern[n - 1] == '*')
		return strncmp(pattern, name, n - 1) == 0;
	return strcmp(pattern, name) == 0;
}

/* The runs def names, in plan order, finished; their count. */
static size_t runs_of(struct engine *e, const struct lab_check *def, struct lab_run **out)
{
	size_t n = 0;

	for (size_t i = 0; i < e->plan.n; i++) {
		bool named = false;
		for (size_t k = 0; k < sizeof(def->runs) / sizeof(def->runs[0]) && def->runs[k]; k++)
			named |= names(def->runs[k], e->plan.runs[i].name);
		if (!named)
			continue;
		need(e, &e->plan.runs[i]);
		out[n++] = &e->plan.runs[i];
	}
	if (n == 0)
		die(_("check %s judges no run of the plan"), def->id);
	return n;
}

/* A failed check's timeline: the calls of the run it blames (its command
 * line is that run's). */
static void trace_blamed(struct check *c, struct lab_run *const *runs, size_t n)
{
	const struct lab_run *r = runs[0];

	for (size_t i = 0; i < n; i++)
		if (c->cmdline != NULL && runs[i]->t.cmdline != NULL &&
		    strcmp(c->cmdline, runs[i]->t.cmdline) == 0)
			r = runs[i];
	char *missing = c->missing_call;	/* set by the judgment; trace_fill copies it */

	c->missing_call = NULL;
	if (r->t.audit.n > 0)
		trace_fill(c, &r->t.audit, NULL, missing);
	else
		c->missing_call = missing, missing = NULL;
	free(missing);
}

void engine_grade(const struct grader *g, const struct lab *lab, struct lab_result *result)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	struct lab_run *runs[MAX_RUNS];

	e->g = g;
	e->lab = lab;
	lab->plan(&e->plan, g->seed);
	while (e->going < MAX_AT_ONCE && e->next < e->plan.n)
		start_next(e);
	for (const struct lab_check *def = lab->checks; def->id != NULL; def++) {
		size_t n = runs_of(e, def, runs);
		struct check *c = lab_add_check(result, def->points, _(def->title), runs[0]->label);
		c->id = xstrdup(def->id);
		c->cmdline = xstrdup(runs[0]->t.cmdline);
		if (!def->judge(c, def, runs, n))
			trace_blamed(c, runs, n);
	}
	if (lab->after != NULL) {	/* checks of its own, every run finished */
		for (size_t i = 0; i < e->plan.n; i++) {
			need(e, &e->plan.runs[i]);
			runs[i] = &e->plan.runs[i];
		}
		lab->after(g, result, runs, e->plan.n);
	}
	for (size_t i = 0; i < e->plan.n; i++) {
		struct lab_run *r = &e->plan.runs[i];
		need(e, r);	/* a run no check named */
		if (pictured(r->name))
			memory_collect(result, r->name, trial_audited(&r->t));
		trial_free(&r->t);
		for (char **a = r->args; *a != NULL; a++)
			free(*a);
		for (char **a = r->then_args; a != NULL && *a != NULL; a++)
			free(*a);
		free(r->args);
		free(r->then_args);
		free(r->label);
		free(r->name);
		free(r->want);
	}
	free(e);
}
