/*
 * parent_child.c: judge the parent and the child lines separately, so that a
 * program printing the document's numbers without sharing memory is told so.
 */
#include "labs/parent_child.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labs/judge.h"
#include "labs/judges.h"
#include "lang/lang.h"
#include "run/sys.h"

static bool parse_line(const char *line, const char *who, struct pc_line *l)
{
	char fmt[64];
	int used = 0;

	snprintf(fmt, sizeof(fmt), "%s, *p = %%d, var = %%d%%n", who);
	if (sscanf(line, fmt, &l->p, &l->var, &used) == 2 && line[used] == '\0')
		return l->has_var = true;
	snprintf(fmt, sizeof(fmt), "%s, *p = %%d%%n", who);
	used = 0;
	if (sscanf(line, fmt, &l->p, &used) == 1 && line[used] == '\0') {
		l->has_var = false;
		return true;
	}
	return false;
}

void pc_parse(const char *out, struct pc_output *o)
{
	char line[256], seen[8][256];
	int index = 0;

	memset(o, 0, sizeof(*o));
	o->child.index = o->parent.index = -1;
	for (const char *p = out; *p != '\0'; index++) {
		size_t n = strcspn(p, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), p);
		/* A line printed twice, anywhere: the stdout buffer copied at fork. */
		for (int i = 0; i < index && i < 8 && *line != '\0'; i++)
			if (strcmp(line, seen[i]) == 0)
				o->repeated = true;
		if (index < 8)
			strcpy(seen[index], line);
		if (o->child.index < 0 && parse_line(line, "child", &o->child))
			o->child.index = index;
		else if (o->parent.index < 0 && parse_line(line, "parent", &o->parent))
			o->parent.index = index;
		p += n;
		if (*p == '\n')
			p++;
	}
}

const char *pc_hint(const struct pc_output *o, int value, int var, bool shared,
		    char *buf, size_t size)
{
	const struct pc_line *c = &o->child, *p = &o->parent;
	int want = shared ? value : 0;

	if (o->repeated)
		return _("a line printed twice: it was still in the stdout buffer at fork(), and both "
		       "processes flushed it -- fflush(stdout) before fork()");
	if (c->index < 0)
		return _("no \"child, *p = ...\" line: the child must print what it wrote, then "
		       "exit with exit(), which flushes stdout (_exit throws the buffer away)");
	if (p->index < 0)
		return _("no \"parent, *p = ...\" line: the parent must read the mapping after the "
		       "child is done, and print it");
	if (p->index < c->index)
		return _("the parent printed before the child: the parent must wait for the child "
		       "(waitpid) before reading -- sleep() is not synchronisation");
	if (c->p != value && c->p == 2000) {
		snprintf(buf, size, _("the child printed the document's 2000, not VALUE (%d): VALUE is "
				      "ignored -- the child must store VALUE (from the arguments) in "
				      "*p, and print it"), value);
		return buf;
	}
	if (c->p != value || (var >= 0 && c->var != var)) {
		snprintf(buf, size, _("the child must print what it wrote: *p = %d%s"), value,
			 var >= 0 ? _(" and var = the VAR argument") : "");
		return buf;
	}
	if (p->p != want) {
		if (shared && p->p == 0)
			snprintf(buf, size, _("the parent saw 0 where the child wrote %d: the write did "
				 "not reach the parent's mapping (MAP_PRIVATE? or the parent read "
				 "before the child wrote?)"), value);
		else if (shared && p->p == 2000)
			snprintf(buf, size, _("the parent read 2000, the document's number, though the child "
				 "says it wrote %d: the child must store VALUE in *p (not a constant), and "
				 "the parent print what it reads through the mapping"), value);
		else if (!shared && p->p == value)
			snprintf(buf, size, _("with -p the mapping is MAP_PRIVATE: the child's write stays "
				 "in the child's copy, so the parent must still see 0"));
		else
			snprintf(buf, size, _("the parent saw %d, but the mapping holds %d: print *p as "
				 "the parent reads it"), p->p, want);
		return buf;
	}
	if (var >= 0 && (!p->has_var || p->var != 100)) {
		snprintf(buf, size, _("the parent must still see var = 100: the global var is copied at "
			 "fork, not shared, so the child's var = %d stays in the child"), var);
		return buf;
	}
	return NULL;
}

bool judge_parent_child(struct check *c, const struct trial *t, int value, int var, bool shared,
			bool delayed)
{
	int parent = shared ? value : 0;
	char *expected = var >= 0
		? xasprintf("child, *p = %d, var = %d\nparent, *p = %d, var = 100\n", value, var, parent)
		: xasprintf("child, *p = %d\nparent, *p = %d\n", value, parent);
	char hint[800];
	struct pc_output o;

	pc_parse(t->res.out.data, &o);
	const char *why = pc_hint(&o, value, var, shared, hint, sizeof(hint));
	/* A line that is there but differs: shown as such, not as missing. */
	if ((o.child.index < 0 || o.parent.index < 0) &&
	    near_miss(t->res.out.data, expected, hint, sizeof(hint)))
		why = hint;
	/* The timing is to blame only when the parent saw the mapping untouched
	 * although the child wrote what it says. */
	else if (delayed && shared && o.parent.index >= 0 && o.parent.p == 0 &&
		 o.child.index >= 0 && o.child.p == value)
		why = _("with the child held back until the parent waits and sleep() returning at "
			"once, the parent read before the child wrote: wait for the child (waitpid) "
			"-- sleep() is not synchronisation");
	bool right = judge_output(c, t, expected, why);
	free(expected);
	return right;
}

const char *const delay_env[] = { "MMAPAUDIT_CHILD_DELAY_MS=" XSTR(DELAY_MS), "MMAPAUDIT_SLEEP=skip",
				  NULL };

struct lab_run *plan_pc_run(struct lab_plan *p, const char *name, const char *prog,
			    const char *const *args, struct pc_want want)
{
	struct lab_run *r = plan_run(p, name, prog, args);

	r->want = xmalloc(sizeof(want));
	memcpy(r->want, &want, sizeof(want));
	r->env = want.delayed ? delay_env : NULL;
	return r;
}

bool judge_pc_lines(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		    size_t n)
{
	(void)def;
	for (size_t i = 0; i < n; i++) {
		const struct pc_want *w = runs[i]->want;
		if (!judge_parent_child(c, &runs[i]->t, w->value, w->var, w->shared, w->delayed)) {
			blame(c, runs[i]);
			return false;
		}
	}
	return true;
}

bool judge_pc_waits(struct check *c, const struct lab_check *def, struct lab_run *const *runs,
		    size_t n)
{
	struct pc_output o;

	(void)def;
	/* The calls of the runs that are not delayed first: a child never
	 * reaped is the mistake to name before the order of a read.  A delay
	 * run's log is judged by its output alone: with sleep() skipped, a
	 * parent that polls with a pause logs a call a turn, and may fill it. */
	for (size_t i = 0; i < n; i++)
		if (!((const struct pc_want *)runs[i]->want)->delayed &&
		    !judge_reaps_children(c, trial_audited(&runs[i]->t))) {
			blame(c, runs[i]);
			return false;
		}
	for (size_t i = 0; i < n; i++) {
		const struct pc_want *w = runs[i]->want;
		/* Held back until its parent waits, the child writes only then: a
		 * parent that saw 0 read before its wait returned the child. */
		pc_parse(runs[i]->t.res.out.data, &o);
		if (w->delayed && w->shared && o.parent.index >= 0 && o.parent.p == 0 &&
		    o.child.index >= 0 && o.child.p == w->value) {
			char *seen = xasprintf(_("$ %s\nthe parent printed *p = 0: it read before its wait "
						 "returned the child"), runs[i]->t.cmdline);
			check_fail(c, _("the parent reads *p after wait or waitpid returned the child"),
				   seen, "%s", _("in this run the child is held back until its parent "
						 "waits, and sleep() returns at once: a parent that "
						 "reads before its wait sees 0 -- wait for the child "
						 "first, then read (sleep() is not synchronisation)"));
			free(seen);
			blame(c, runs[i]);
			return false;
		}
	}
	return true;
}
