/*
 * similarity.c: class mode's comparison of sources (see similarity.h).
 *
 * Lab by lab, each student's sources become one text (sources.c: comments
 * and the skeleton's lines blanked).  Students with the same text share it;
 * the texts that are new since the last run (simstore.c's cache) are given
 * to sim_c against every other text, one sim_c per lab, `jobs` at a time;
 * the earlier class of --similar-to is the "old" side of sim_c, never
 * compared with itself.  A pair of students is a lead when the matches
 * cover at least `threshold` percent of the two students' own code (in
 * tokens), and at least SIM_MIN_SHARED tokens.
 */
#define _GNU_SOURCE
#include "class/similarity.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "class/leads.h"
#include "class/progress.h"
#include "class/records.h"
#include "class/roster.h"
#include "class/simstore.h"
#include "class/simtool.h"
#include "class/sources.h"
#include "lang/lang.h"
#include "report/report.h"
#include "run/sys.h"

#define SIM_MIN_SHARED 60	/* tokens: less is a few lines every solution has */
#define SIM_TIMEOUT 300.0	/* seconds one sim_c may take (a class of 200: under 1) */
#define LEFT_OUT_SHOWN 10	/* lines of summary.txt naming files not compared */

struct lab_sim {
	const char *id;
	struct lab_text given;	/* the skeleton's */
	struct member *m;	/* the class's students, then those of --similar-to */
	size_t nm;
	struct lab_store store;
	uint64_t *cur, *old;	/* the distinct texts with own code, sorted */
	size_t ncur, nold;
	struct sim_job job[2];
	uint64_t *hash[2];	/* of each file of job[k] */
	const char **text[2];
	size_t *len[2], nfiles[2], nnew[2];
	bool want[2], started[2], running[2];
	char *error;		/* why the lab was not compared */
};

/* The skeleton every student was given: labs/ beside the grader's bin/. */
static char *skeleton_dir(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(exe, '/');
		if (slash == NULL)
			return NULL;
		*slash = '\0';
	}
	return xasprintf("%s/labs", exe);
}

/* The folder of the student's labs, never through a link below DIR/ID. */
static int open_student(int classfd, const struct student *s)
{
	int fd = openat(classfd, s->id, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd != -1 && s->in_labs) {
		int labs = openat(fd, "labs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = labs;
	}
	return fd;
}

static void add_members(struct lab_sim *labs, size_t nlabs, const char *dir, const struct student *s,
			size_t n, const char *prefix)
{
	int classfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (classfd == -1)
		die_errno(_("cannot open %s"), dir);
	for (size_t i = 0; i < n; i++) {
		int fd = open_student(classfd, &s[i]);
		for (size_t l = 0; l < nlabs; l++) {
			struct lab_sim *ls = &labs[l];
			ls->m = xrealloc(ls->m, (ls->nm + 1) * sizeof(*ls->m));
			struct member *m = &ls->m[ls->nm++];
			m->name = prefix ? xasprintf("%s/%s", prefix, s[i].id) : xstrdup(s[i].id);
			m->old = prefix != NULL;
			lab_text_read(&m->text, fd, ls->id, &ls->given);
		}
		if (fd != -1)
			close(fd);
	}
	close(classfd);
}

/* The distinct hashes of the members' texts with own code, sorted. */
static uint64_t *distinct(const struct lab_sim *ls, bool old, size_t *count)
{
	uint64_t *set = xcalloc(ls->nm + 1, sizeof(*set));
	size_t n = 0;

	for (size_t i = 0; i < ls->nm; i++)
		if (ls->m[i].old == old && ls->m[i].text.own_lines > 0)
			set[n++] = ls->m[i].text.hash;
	store_sort(set, n);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || set[u - 1] != set[i])
			set[u++] = set[i];
	*count = u;
	return set;
}

static const struct lab_text *text_of(const struct lab_sim *ls, uint64_t h)
{
	for (size_t i = 0; i < ls->nm; i++)
		if (ls->m[i].text.hash == h && ls->m[i].text.own_lines > 0)
			return &ls->m[i].text;
	die("no text of hash %016llx", (unsigned long long)h);
}

static void add_file(struct lab_sim *ls, int k, uint64_t h)
{
	const struct lab_text *t = text_of(ls, h);
	size_t i = ls->nfiles[k]++;

	ls->hash[k] = xrealloc(ls->hash[k], (i + 1) * sizeof(*ls->hash[k]));
	ls->text[k] = xrealloc(ls->text[k], (i + 1) * sizeof(*ls->text[k]));
	ls->len[k] = xrealloc(ls->len[k], (i + 1) * sizeof(*ls->len[k]));
	ls->hash[k][i] = h;
	ls->text[k][i] = t->text;
	ls->len[k][i] = t->len;
}

/* Job 0: the new texts against every text; job 1: the texts compared
 * before against the earlier class's texts that are new. */
static void plan(struct lab_sim *ls)
{
	const struct lab_store *s = &ls->store;

	for (size_t i = 0; i < ls->ncur; i++)
		if (!store_in(s->class, s->nclass, ls->cur[i]))
			add_file(ls, 0, ls->cur[i]);
	ls->nnew[0] = ls->nfiles[0];
	for (size_t i = 0; ls->nnew[0] > 0 && i < ls->ncur; i++)
		if (store_in(s->class, s->nclass, ls->cur[i]))
			add_file(ls, 0, ls->cur[i]);
	for (size_t i = 0; ls->nnew[0] > 0 && i < ls->nold; i++)
		add_file(ls, 0, ls->old[i]);
	ls->want[0] = ls->nnew[0] > 0;

	for (size_t i = 0; i < ls->ncur; i++)
		if (store_in(s->class, s->nclass, ls->cur[i]))
			add_file(ls, 1, ls->cur[i]);
	ls->nnew[1] = ls->nfiles[1];
	for (size_t i = 0; ls->nnew[1] > 0 && i < ls->nold; i++)
		if (!store_in(s->old, s->nold, ls->old[i]))
			add_file(ls, 1, ls->old[i]);
	ls->want[1] = ls->nnew[1] > 0 && ls->nfiles[1] > ls->nnew[1];
}

/* Runs the jobs of every lab, c->jobs at a time.  False if interrupted;
 * *missing if sim_c is not installed. */
static bool run_jobs(struct class *c, struct lab_sim *labs, size_t nlabs, const sigset_t *signals,
		     const char *dir, bool *missing)
{
	size_t running = 0;

	for (;;) {
		for (size_t l = 0; l < nlabs; l++)
			for (int k = 0; k < 2; k++) {
				struct lab_sim *ls = &labs[l];
				if (!ls->want[k] || ls->started[k] || running >= c->jobs || *missing)
					continue;
				ls->started[k] = true;
				int e = sim_start(&ls->job[k], dir, ls->text[k], ls->len[k], ls->nnew[k],
						  ls->nfiles[k] - ls->nnew[k], k == 1);
				if (e == ENOENT) {
					*missing = true;
				} else if (e != 0) {
					free(ls->error);
					ls->error = xasprintf(_("cannot run sim_c: %s"), strerror(e));
				} else {
					ls->job[k].deadline = now() + SIM_TIMEOUT;
					ls->running[k] = true;
					running++;
				}
			}
		bool left = false;
		for (size_t l = 0; l < nlabs; l++)
			for (int k = 0; k < 2; k++)
				left |= labs[l].want[k] && !labs[l].started[k] && !*missing;
		if (running == 0 && !left)
			return true;
		struct timespec tick = { 0, 50 * 1000 * 1000 };
		int sig = sigtimedwait(signals, NULL, &tick);
		for (size_t l = 0; l < nlabs; l++)
			for (int k = 0; k < 2; k++) {
				struct lab_sim *ls = &labs[l];
				struct sim_job *j = &ls->job[k];
				int status;
				if (!ls->running[k])
					continue;
				if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
					sim_kill(j);
				} else if (waitpid(j->pid, &status, WNOHANG) == j->pid) {
					sim_finish(j, status);
				} else if (now() > j->deadline) {
					sim_kill(j);
					j->error = xasprintf(_("sim_c took over %.0f s"), SIM_TIMEOUT);
				} else {
					continue;
				}
				ls->running[k] = false;
				running--;
			}
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			c->stopping = true;
			return false;
		}
	}
}

/* What the jobs found, into the store; the store then covers this run's texts. */
static void gather(struct lab_sim *ls)
{
	for (int k = 0; k < 2 && ls->error == NULL; k++) {
		struct sim_job *j = &ls->job[k];
		if (!ls->want[k])
			continue;
		if (j->error != NULL) {
			ls->error = xstrdup(j->error);
			break;
		}
		for (size_t i = 0; i < ls->nfiles[k]; i++)
			store_set_tokens(&ls->store, ls->hash[k][i], j->tokens[i]);
		for (size_t i = 0; i < j->nmatch; i++)
			store_add(&ls->store, ls->hash[k][j->match[i].fa], ls->hash[k][j->match[i].fb],
				  &j->match[i]);
	}
	struct lab_store *s = &ls->store;
	free(s->class);
	free(s->old);
	s->nclass = ls->error ? 0 : ls->ncur;
	s->nold = ls->error ? 0 : ls->nold;
	s->class = xcalloc(s->nclass + 1, sizeof(*s->class));
	s->old = xcalloc(s->nold + 1, sizeof(*s->old));
	memcpy(s->class, ls->cur, s->nclass * sizeof(*s->class));
	memcpy(s->old, ls->old, s->nold * sizeof(*s->old));
}

static void consider(const struct lab_sim *ls, const struct member *a, const struct member *b,
		     unsigned threshold, struct lead **l, size_t *n)
{
	uint64_t x = a->text.hash, y = b->text.hash;
	size_t tx, ty, shared;
	struct lead d = { .lab = ls->id, .a = a, .b = b };

	if (a->text.own_lines == 0 || b->text.own_lines == 0 || !store_tokens(&ls->store, x, &tx) ||
	    !store_tokens(&ls->store, y, &ty) || tx == 0 || ty == 0)
		return;
	if (x == y) {
		shared = tx;
		d.shared_lines = a->text.own_lines;
	} else {
		if ((d.pair = store_pair(&ls->store, x, y, &d.swapped)) == NULL)
			return;
		shared = d.pair->shared;
		size_t la = covered_lines(&a->text, d.pair, d.swapped);
		size_t lb = covered_lines(&b->text, d.pair, !d.swapped);
		d.shared_lines = la > lb ? la : lb;
	}
	/* Both sides of a match have about its tokens: the share of the two
	 * texts' tokens in matches. */
	d.percent = 2 * shared >= tx + ty ? 100 : (unsigned)(200 * shared / (tx + ty));
	if (d.percent < threshold || shared < SIM_MIN_SHARED)
		return;
	*l = xrealloc(*l, (*n + 1) * sizeof(**l));
	(*l)[(*n)++] = d;
}

static void remove_outputs(const char *out)
{
	for (const char *const *name = (const char *const[]){ "similarity.csv", "similarity.json", NULL };
	     *name != NULL; name++) {
		char *path = xasprintf("%s/%s", out, *name);
		unlink(path);
		free(path);
	}
}

static void not_compared(struct similarity *out, const char *out_dir, const char *why)
{
	remove_outputs(out_dir);
	out->summary = xasprintf(_("similar code: not compared: %s\n"), why);
	out->said = xasprintf(_("grade: similar code: not compared: %s"), why);
}

void similar_to_check(const struct class_options *o)
{
	struct stat a, b;

	if (o->similar_to == NULL || !o->similarity)
		return;
	if (stat(o->similar_to, &a) == -1 || !S_ISDIR(a.st_mode))
		die(_("--similar-to %s: not a folder (one folder per student of an earlier class)"),
		    o->similar_to);
	if (stat(o->dir, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		die(_("--similar-to %s is the class itself: name the folder of an earlier class"),
		    o->similar_to);
}

/* The students of --similar-to, or NULL (with *n = 0). */
static struct student *earlier_class(const struct class *c, size_t *n, char **prefix)
{
	*n = 0;
	*prefix = NULL;
	if (c->o->similar_to == NULL)
		return NULL;
	char *name = xstrdup(c->o->similar_to);
	for (size_t len = strlen(name); len > 1 && name[len - 1] == '/'; len--)
		name[len - 1] = '\0';
	char *base = strrchr(name, '/');
	*prefix = xstrdup(base ? base + 1 : name);
	free(name);
	return read_roster(c->o->similar_to, c->o->out, c->o->labs, c->o->nlabs, n);
}

/* Compact, and without fsync: a cache lost in a crash is only work to do
 * again; renamed into place, so that it is never read half written. */
static void save_cache(const char *path, json_t *labs)
{
	json_t *root = json_pack("{s:s, s:o}", "version", STORE_VERSION, "labs", labs);
	char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
	char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());

	if (text == NULL)
		die("%s", _("cannot encode the similarity cache"));
	unlink(tmp);
	if (write_file(tmp, text, strlen(text)) == -1 || rename(tmp, path) == -1)
		die_errno("cannot write %s", path);
	free(tmp);
	free(text);
	json_decref(root);
}

/* The files left out of the comparison, as lines of summary.txt. */
static void say_left_out(FILE *f, const struct lab_sim *labs, size_t nlabs)
{
	size_t shown = 0, more = 0;

	for (size_t l = 0; l < nlabs; l++)
		for (size_t i = 0; i < labs[l].nm; i++) {
			const struct member *m = &labs[l].m[i];
			if (m->text.left_out == NULL)
				continue;
			if (shown++ < LEFT_OUT_SHOWN)
				fprintf(f, _("  not compared: %s, %s: %s\n"), m->name, labs[l].id,
					m->text.left_out);
			else
				more++;
		}
	if (more > 0)
		fprintf(f, _("  not compared: files of %zu more students and labs\n"), more);
}

static void free_labs(struct lab_sim *labs, size_t nlabs)
{
	for (size_t l = 0; l < nlabs; l++) {
		struct lab_sim *ls = &labs[l];
		for (size_t i = 0; i < ls->nm; i++) {
			free(ls->m[i].name);
			lab_text_free(&ls->m[i].text);
		}
		for (int k = 0; k < 2; k++) {
			sim_free(&ls->job[k]);
			free(ls->hash[k]);
			free(ls->text[k]);
			free(ls->len[k]);
		}
		lab_text_free(&ls->given);
		store_free(&ls->store);
		free(ls->m);
		free(ls->cur);
		free(ls->old);
		free(ls->error);
	}
	free(labs);
}

bool compare_class(struct class *c, const sigset_t *signals, struct similarity *out)
{
	const struct class_options *o = c->o;
	double t0 = now();

	memset(out, 0, sizeof(*out));
	if (!o->similarity) {
		remove_outputs(o->out);
		out->summary = xstrdup(_("similar code: not compared (--similarity off)\n"));
		return true;
	}
	char *skel = skeleton_dir();
	int skelfd = skel ? open(skel, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (skelfd == -1) {
		char *why = xasprintf(_("the skeleton %s (what every student was given) is missing"),
				      skel ? skel : "labs/");
		not_compared(out, o->out, why);
		free(why);
		free(skel);
		return true;
	}
	free(skel);

	size_t nold;
	char *prefix;
	struct student *old = earlier_class(c, &nold, &prefix);
	char *cache_path = xasprintf("%s/.similarity-cache.json", o->out);
	json_t *cache = json_load_file(cache_path, 0, NULL);
	struct lab_sim *labs = xcalloc(o->nlabs, sizeof(*labs));
	for (size_t l = 0; l < o->nlabs; l++) {
		labs[l].id = o->labs[l]->id;
		lab_text_read(&labs[l].given, skelfd, labs[l].id, NULL);
	}
	close(skelfd);
	add_members(labs, o->nlabs, o->dir, c->s, c->n, NULL);
	if (old != NULL)
		add_members(labs, o->nlabs, o->similar_to, old, nold, prefix);
	size_t anew = 0, texts = 0;
	for (size_t l = 0; l < o->nlabs; l++) {
		struct lab_sim *ls = &labs[l];
		store_load(&ls->store, cache, ls->id, ls->given.hash);
		ls->cur = distinct(ls, false, &ls->ncur);
		ls->old = distinct(ls, true, &ls->nold);
		plan(ls);
		anew += ls->nnew[0];
		texts += ls->ncur;
	}
	json_decref(cache);

	char *dir = xasprintf("%s/similarity", c->tmp);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		die_errno(_("cannot create %s"), dir);
	bool missing = false;
	bool done = run_jobs(c, labs, o->nlabs, signals, dir, &missing);
	if (done && missing) {
		not_compared(out, o->out, _("sim_c is not installed (apt-get install similarity-tester)"));
	} else if (done) {
		struct lead *leads = NULL;
		size_t nleads = 0;
		json_t *labs_json = json_object();
		for (size_t l = 0; l < o->nlabs; l++) {
			struct lab_sim *ls = &labs[l];
			gather(ls);
			json_object_set_new(labs_json, ls->id, store_json(&ls->store));
			if (ls->error != NULL)
				continue;
			for (size_t i = 0; i < ls->nm; i++)
				for (size_t k = i + 1; !ls->m[i].old && k < ls->nm; k++)
					consider(ls, &ls->m[i], &ls->m[k], o->similarity_threshold, &leads,
						 &nleads);
		}
		sort_leads(leads, nleads);
		write_leads(o->out, leads, nleads);
		save_cache(cache_path, labs_json);

		char *body;
		size_t size;
		FILE *f = open_memstream(&body, &size);
		if (f == NULL)
			die_errno("open_memstream");
		fputs(_("similar code (sim_c, lab by lab; the skeleton's lines do not count): leads "
			"for a person to look at, never a finding or a score\n"), f);
		if (old != NULL)
			fprintf(f, _("  each student also against the %zu of %s (an earlier class)\n"), nold,
				o->similar_to);
		char *list = leads_summary(leads, nleads, o->similarity_threshold);
		fputs(list, f);
		free(list);
		for (size_t l = 0; l < o->nlabs; l++)
			if (labs[l].error != NULL)
				fprintf(f, _("  %s: not compared: %s\n"), labs[l].id, labs[l].error);
		say_left_out(f, labs, o->nlabs);
		if (fclose(f) != 0)
			die("out of memory");
		out->summary = body;
		out->said = xasprintf(_("grade: similar code: pairs at %u%% or more: %zu (leads to look "
					"at, not findings) in %s/similarity.csv; compared in %.1f s, %zu of "
					"%zu texts anew"), o->similarity_threshold, nleads, o->out,
				      now() - t0, anew, texts);
		free(leads);
	}
	remove_tree(dir);
	free(dir);
	free(cache_path);
	free_labs(labs, o->nlabs);
	for (size_t i = 0; i < nold; i++) {
		free(old[i].id);
		free(old[i].sub);
	}
	free(old);
	free(prefix);
	return done;
}

void similarity_free(struct similarity *s)
{
	free(s->summary);
	free(s->said);
	memset(s, 0, sizeof(*s));
}
