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
		die("a lab plans more than %d runs", MAX_RUNS);
	struct lab_run *r = &p->runs[p->n++];
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->prog = prog;
	r->args = copy_args(args);
	return r;
}

struct lab_run *plan_fault(struct lab_plan *p, const char *name, const char *prog,
			   const char *const *args, const char *call, int err)
{
	struct lab_run *r = plan_run(p, name, prog, args);

	r->fail = call;
	r->fail_err = err;
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
		die("out of memory");
	va_end(ap);
}

/* Starts r in a fresh folder, in a worker of its own. */
static void start(const struct grader *g, const struct lab *lab, struct lab_run *r,
		  struct trial_step steps[2])
{
	char *rule = r->fail ? xasprintf("MMAPAUDIT_FAIL=%s:1:%d", r->fail, r->fail_err) : NULL;
	const char *const *env = rule ? (const char *const[]){ rule, NULL } : r->env;

	steps[0] = (struct trial_step){ r->prog, (const char *const *)r->args };
	steps[1] = (struct trial_step){ r->then_prog, (const char *const *)r->then_args };
	trial_init(g, &r->t);
	if (r->prepare != NULL)
		r->prepare(r, r->t.dir);
	trial_start(g, &r->t, lab->id, steps, r->then_prog ? 2 : 1, env);
	if (r->label == NULL)
		r->label = xstrdup(r->t.cmdline);
	free(rule);
}

/* The runs named by def, in plan order, finished; their count. */
static size_t runs_of(const struct grader *g, struct lab_plan *p, const struct lab_check *def,
		      struct lab_run **out)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++) {
		bool named = false;
		for (size_t k = 0; k < sizeof(def->runs) / sizeof(def->runs[0]) && def->runs[k]; k++)
			named |= strcmp(def->runs[k], p->runs[i].name) == 0;
		if (!named)
			continue;
		if (p->runs[i].t.worker != 0)
			trial_finish(g, &p->runs[i].t);
		out[n++] = &p->runs[i];
	}
	if (n == 0)
		die("check %s judges no run of the plan", def->id);
	return n;
}

void engine_grade(const struct grader *g, const struct lab *lab, struct lab_result *result)
{
	struct lab_plan *p = xcalloc(1, sizeof(*p));
	struct trial_step (*steps)[2] = xcalloc(MAX_RUNS, sizeof(*steps));
	struct lab_run *runs[MAX_RUNS];

	lab->plan(p, g->seed);
	for (size_t i = 0; i < p->n; i++)
		start(g, lab, &p->runs[i], steps[i]);
	for (const struct lab_check *def = lab->checks; def->id != NULL; def++) {
		size_t n = runs_of(g, p, def, runs);
		struct check *c = lab_add_check(result, def->points, _(def->title), runs[0]->label);
		c->id = xstrdup(def->id);
		c->cmdline = xstrdup(runs[0]->t.cmdline);
		def->judge(c, def, runs, n);
	}
	for (size_t i = 0; i < p->n; i++) {
		struct lab_run *r = &p->runs[i];
		if (r->t.worker != 0)	/* a run no check named */
			trial_finish(g, &r->t);
		trial_free(&r->t);
		for (char **a = r->args; *a != NULL; a++)
			free(*a);
		for (char **a = r->then_args; a != NULL && *a != NULL; a++)
			free(*a);
		free(r->args);
		free(r->then_args);
		free(r->label);
		free(r->want);
	}
	free(steps);
	free(p);
}
