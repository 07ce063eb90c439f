/*
 * class.c: grade a whole class (see class.h).
 *
 * The parent only schedules: it forks one worker per student, at most `jobs`
 * at a time.  A worker is a grader of its own (run_init, grade_submission,
 * its own $TMPDIR folders), so a student's hang, crash or compile error ends
 * in that worker and nowhere else.  The worker writes the student's results
 * itself, each file atomically, the JSON record last: a record that exists is
 * complete, and it carries a hash of the student's sources, so that a second
 * run keeps the students who did not change.
 *
 * Signals reach the parent through sigtimedwait() (they stay blocked), so a
 * Ctrl-C is handled in the main loop, not in a handler: workers are told to
 * stop (SIGTERM: their run_interrupt() kills the program under way and
 * removes their folders), and are killed if they do not within 10 s.
 */
#define _GNU_SOURCE
#include "class/class.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "labs/grading.h"
#include "report/result.h"
#include "run/run.h"
#include "run/sys.h"

extern char **environ;

#define WORKER_INTERRUPTED 3	/* a worker's exit status: stopped, nothing written */
#define STOP_GRACE 10.0		/* seconds a worker has to stop before SIGKILL */

enum state { TODO, RUNNING, GRADED, KEPT, FAILED };

struct student {
	char *id;
	char *sub;		/* the folder graded: DIR/ID, or DIR/ID/labs */
	char *hash;		/* of its lab sources, hex */
	unsigned seed;
	enum state state;
	pid_t pid;
	double start;
	json_t *record;		/* students/ID.json, once graded or kept */
};

struct class {
	const struct class_options *o;
	const char *ext;	/* of the per-student report; NULL for json */
	char *students;		/* RESULTS_DIR/students */
	char *tmp;		/* the workers' $TMPDIR, removed at the end */
	char *grader;		/* hash of this grader binary */
	unsigned seed;
	unsigned jobs;
	struct student *s;
	size_t n, next, running, graded, kept, failed, build_failed;
	bool tty, stopping;
	double t0, last_draw, stop_at;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- hashes: FNV-1a, 64 bits; enough to notice a change, not a defence ------ */

#define FNV_START 0xcbf29ce484222325ULL

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *p = data;

	while (n-- > 0) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t fnv_fd(uint64_t h, int fd)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		h = fnv(h, buf, (size_t)n);
	return n == 0 ? h : fnv(h, "read error", 10);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .c and .h of one lab folder, in name order.  The build copies only
 * regular files; a link or anything else is hashed by what it is, so that
 * turning it into a file counts as a change. */
static uint64_t hash_lab(uint64_t h, const char *sub, const char *lab)
{
	char *path = xasprintf("%s/%s", sub, lab);
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd == -1 ? NULL : fdopendir(dfd);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;

	free(path);
	h = fnv(h, lab, strlen(lab) + 1);
	if (d == NULL) {
		if (dfd != -1)
			close(dfd);
		return fnv(h, "no folder", 9);
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] != '.' && len > 2 && e->d_name[len - 2] == '.' &&
		    (e->d_name[len - 1] == 'c' || e->d_name[len - 1] == 'h')) {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	}
	if (n > 1)	/* qsort must not be given NULL, even for nothing */
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		h = fnv(h, names[i], strlen(names[i]) + 1);
		int fd = openat(dirfd(d), names[i], O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd != -1 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			h = fnv_fd(fnv(h, "file", 4), fd);
		else if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) == 0)
			h = fnv(h, &st.st_mode, sizeof(st.st_mode));
		if (fd != -1)
			close(fd);
		free(names[i]);
	}
	free(names);
	closedir(d);
	return h;
}

static char *source_hash(const struct class *c, const char *sub)
{
	uint64_t h = FNV_START;

	for (size_t i = 0; i < c->o->nlabs; i++)
		h = hash_lab(h, sub, c->o->labs[i]->id);
	return xasprintf("%016llx", (unsigned long long)h);
}

/* A rebuilt grader may grade differently: its results are not kept. */
static char *grader_hash(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		die_errno("open /proc/self/exe");
	uint64_t h = fnv_fd(FNV_START, fd);
	close(fd);
	return xasprintf("%016llx", (unsigned long long)h);
}

/* The student's seed: from the class's and the id, the same on every run. */
static unsigned student_seed(unsigned class_seed, const char *id)
{
	uint64_t x = fnv(FNV_START ^ class_seed, id, strlen(id));

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (unsigned)x;
}

/* --- what is written where ------------------------------------------------- */

static const char *format_ext(const char *name)
{
	static const char *const exts[][2] = {
		{ "text", "txt" }, { "json", NULL }, { "gradescope", "gradescope.json" },
		{ "junit", "junit.xml" }, { "tap", "tap" },
	};

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcmp(name, exts[i][0]) == 0)
			return exts[i][1];
	return name;
}

static char *student_file(const struct class *c, const struct student *s, const char *suffix)
{
	return xasprintf("%s/%s%s", c->students, s->id, suffix);
}

static void write_or_die(const char *path, const char *text)
{
	if (write_file_atomic(path, text, strlen(text)) == -1)
		die_errno("cannot write %s", path);
}

/* Leftovers of a run that was killed: temporary files of write_file_atomic,
 * pictures half drawn, workers' logs.  In RESULTS_DIR, which may be a folder
 * of the user's, only names this file makes; students/ is all ours. */
static void remove_leftovers(const char *dir, bool ours)
{
	static const char *const prefixes[] = {
		"grades.csv.tmp.", "summary.txt.tmp.", "class.json.tmp.", "histogram.gp.tmp.",
		"histogram.svg.tmp", "histogram.png.tmp", ".gnuplot.log",
	};
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		die_errno("cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		const char *name = e->d_name;
		size_t len = strlen(name);
		bool stale = false;
		for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
			stale |= strncmp(name, prefixes[i], strlen(prefixes[i])) == 0;
		if (ours)
			stale |= strstr(name, ".tmp.") != NULL ||
				 (name[0] == '.' && len > 5 && strcmp(name + len - 4, ".log") == 0);
		if (stale)
			unlinkat(dirfd(d), name, 0);
	}
	closedir(d);
}

static json_t *load_record(const struct class *c, const struct student *s)
{
	char *path = student_file(c, s, ".json");
	json_t *rec = json_load_file(path, 0, NULL);

	free(path);
	if (rec != NULL && (!json_is_integer(json_object_get(rec, "score")) ||
			    !json_is_array(json_object_get(rec, "labs")))) {
		json_decref(rec);
		return NULL;
	}
	return rec;
}

static bool string_is(json_t *obj, const char *key, const char *want)
{
	const char *v = json_string_value(json_object_get(obj, key));

	return v != NULL && strcmp(v, want) == 0;
}

/* Was this record made from these very sources, seed, labs and grader? */
static bool record_current(const struct class *c, const struct student *s, json_t *rec)
{
	json_t *labs = json_object_get(rec, "labs");

	if (json_array_size(labs) != c->o->nlabs ||
	    json_integer_value(json_object_get(rec, "seed")) != (json_int_t)s->seed ||
	    !string_is(rec, "source_hash", s->hash) || !string_is(rec, "grader", c->grader))
		return false;
	for (size_t i = 0; i < c->o->nlabs; i++)
		if (!string_is(json_array_get(labs, i), "id", c->o->labs[i]->id))
			return false;
	if (c->ext == NULL)
		return true;
	char *other = xasprintf("%s/%s.%s", c->students, s->id, c->ext);
	bool there = access(other, F_OK) == 0;
	free(other);
	return there;
}

/* The first lab of the record that did not compile, or NULL. */
static const char *record_build_failure(json_t *rec)
{
	size_t i;
	json_t *lab;

	json_array_foreach(json_object_get(rec, "labs"), i, lab)
		if (json_is_false(json_object_get(lab, "built")))
			return json_string_value(json_object_get(lab, "id"));
	return NULL;
}

static int record_int(json_t *obj, const char *key)
{
	return (int)json_integer_value(json_object_get(obj, key));
}

/* --- the class folder ------------------------------------------------------- */

static bool has_a_lab(const struct class *c, const char *sub)
{
	for (size_t i = 0; i < c->o->nlabs; i++) {
		char *p = xasprintf("%s/%s", sub, c->o->labs[i]->id);
		struct stat st;
		bool dir = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
		free(p);
		if (dir)
			return true;
	}
	return false;
}

static int cmp_student(const void *a, const void *b)
{
	return strcmp(((const struct student *)a)->id, ((const struct student *)b)->id);
}

/* One student per folder of DIR (links to folders too: DIR is the
 * instructor's), but not RESULTS_DIR if it is inside DIR. */
static void list_students(struct class *c)
{
	DIR *d = opendir(c->o->dir);
	struct stat out, st;
	struct dirent *e;

	if (d == NULL)
		die_errno("cannot open the class folder %s", c->o->dir);
	if (stat(c->o->out, &out) == -1)
		die_errno("%s", c->o->out);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || fstatat(dirfd(d), e->d_name, &st, 0) == -1 ||
		    !S_ISDIR(st.st_mode) || (st.st_dev == out.st_dev && st.st_ino == out.st_ino))
			continue;
		/* The id names files and CSV rows: printable UTF-8 on one line. */
		char *shown = show_bytes(e->d_name, strlen(e->d_name), 256);
		bool usable = strcmp(shown, e->d_name) == 0 && strpbrk(e->d_name, "\t\n") == NULL;
		free(shown);
		if (!usable) {
			fprintf(stderr, "grade: skipped a folder of %s whose name is not printable "
				"UTF-8 text\n", c->o->dir);
			continue;
		}
		c->s = xrealloc(c->s, (c->n + 1) * sizeof(*c->s));
		struct student *s = &c->s[c->n++];
		memset(s, 0, sizeof(*s));
		s->id = xstrdup(e->d_name);
	}
	closedir(d);
	if (c->n > 1)
		qsort(c->s, c->n, sizeof(*c->s), cmp_student);
	for (size_t i = 0; i < c->n; i++) {
		struct student *s = &c->s[i];
		/* A whole clone of the project (GitHub Classroom): its labs/. */
		s->sub = xasprintf("%s/%s", c->o->dir, s->id);
		char *labs = xasprintf("%s/labs", s->sub);
		if (!has_a_lab(c, s->sub) && has_a_lab(c, labs)) {
			free(s->sub);
			s->sub = labs;
		} else {
			free(labs);
		}
		s->hash = source_hash(c, s->sub);
		s->seed = student_seed(c->seed, s->id);
	}
}

/* The class's seed: --seed, else the one of the last run, so that a run
 * that resumes another one draws the same random values. */
static void class_seed(struct class *c)
{
	char *path = xasprintf("%s/class.json", c->o->out);
	json_t *old = json_load_file(path, 0, NULL);
	json_t *seed = json_object_get(old, "seed");

	c->seed = c->o->seed;
	if (!c->o->seed_given && json_is_integer(seed))
		c->seed = (unsigned)json_integer_value(seed);
	json_decref(old);
	char *text = report_json_text(json_pack("{s:I, s:s}", "seed", (json_int_t)c->seed, "note",
						"the class seed; grade --class without --seed reuses it"),
				      "class.json");
	write_or_die(path, text);
	free(text);
	free(path);
}

/* --- progress ------------------------------------------------------------- */

static void duration(char *buf, size_t size, double sec)
{
	if (sec < 60)
		snprintf(buf, size, "%.0fs", sec);
	else
		snprintf(buf, size, "%dm%02ds", (int)(sec / 60), (int)sec % 60);
}

static void draw_bar(struct class *c, bool force)
{
	if (!c->tty || (!force && now() - c->last_draw < 0.2))
		return;
	c->last_draw = now();
	size_t done = c->graded + c->kept + c->failed, worked = c->graded + c->failed;
	size_t left = c->n - done;
	struct winsize ws;
	int width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
	int bar = width - 75 < 10 ? 10 : width - 75 > 40 ? 40 : width - 75;
	int full = c->n > 0 ? (int)((double)bar * (double)done / (double)c->n) : bar;
	char eta[32] = "?";

	/* Time left from this run's pace, parallelism included. */
	if (worked > 0)
		duration(eta, sizeof(eta), (now() - c->t0) / (double)worked * (double)left);
	fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu done, %zu running, %zu failed to build",
		full, "########################################", bar - full, "", done, c->n,
		c->running, c->build_failed);
	if (c->failed > 0)
		fprintf(stderr, ", %zu not graded", c->failed);
	fprintf(stderr, ", %s left", eta);
	fflush(stderr);
}

/* A line of its own, above the bar on a terminal. */
__attribute__((format(printf, 2, 3))) static void say(struct class *c, const char *fmt, ...)
{
	va_list ap;

	if (c->tty)
		fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	draw_bar(c, true);
}

/* --- workers ---------------------------------------------------------------- */

static void on_signal(int sig)
{
	(void)sig;
	run_interrupt();
}

static void write_record(const struct class *c, const struct student *s, const struct report *r)
{
	char *text = report_json(r, false);
	json_t *rec = json_loads(text, 0, NULL);

	if (rec == NULL)
		die("cannot read back the JSON report of %s", s->id);
	free(text);
	json_object_set_new(rec, "student", json_string(s->id));
	json_object_set_new(rec, "source_hash", json_string(s->hash));
	json_object_set_new(rec, "grader", json_string(c->grader));
	json_object_set_new(rec, "class_seed", json_integer(c->seed));
	text = report_json_text(rec, "a student's record");
	char *path = student_file(c, s, ".json");
	write_or_die(path, text);
	free(path);
	free(text);
}

/* In the child: grade one student, write the results, exit. */
__attribute__((noreturn)) static void worker(const struct class *c, const struct student *s)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t none;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Its messages (a grader error) go to a log the parent shows. */
	char *log = xasprintf("%s/.%s.log", c->students, s->id);
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd != -1 && fd != STDERR_FILENO) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	free(log);
	/* Its folders go where the parent can remove them, even if killed. */
	setenv("TMPDIR", c->tmp, 1);
	run_init();

	struct report r;
	if (!grade_submission(s->sub, c->o->labs, c->o->nlabs, s->seed, &r))
		exit(WORKER_INTERRUPTED);
	if (c->ext != NULL) {
		char *text = c->o->reporter->render(&r, false);
		char *path = xasprintf("%s/%s.%s", c->students, s->id, c->ext);
		write_or_die(path, text);
		free(path);
		free(text);
	}
	write_record(c, s, &r);	/* last: a record means the student is done */
	report_free(&r);
	exit(0);
}

static void start(struct class *c, struct student *s)
{
	for (const char *const *old = (const char *const[]){ ".log", ".error.log", NULL };
	     *old != NULL; old++) {
		char *p = student_file(c, s, *old);
		unlink(p);
		free(p);
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == -1)
		die_errno("fork");
	if (pid == 0)
		worker(c, s);
	s->pid = pid;
	s->state = RUNNING;
	s->start = now();
	c->running++;
}

/* The worker's log: kept as ID.log (or ID.error.log) if it says anything. */
static char *keep_log(const struct class *c, const struct student *s, const char *suffix)
{
	char *tmp = xasprintf("%s/.%s.log", c->students, s->id), *path = NULL;
	struct stat st;

	if (suffix != NULL && stat(tmp, &st) == 0 && st.st_size > 0) {
		path = student_file(c, s, suffix);
		if (rename(tmp, path) == -1) {
			free(path);
			path = NULL;
		}
	}
	unlink(tmp);
	free(tmp);
	return path;
}

static void worker_failed(struct class *c, struct student *s, int status)
{
	char how[64], first[200] = "";
	char *log = keep_log(c, s, ".error.log");

	s->state = FAILED;
	c->failed++;
	if (WIFEXITED(status))
		snprintf(how, sizeof(how), "exit %d", WEXITSTATUS(status));
	else
		snprintf(how, sizeof(how), "killed by SIG%s", sigabbrev_np(WTERMSIG(status)) ?
			 sigabbrev_np(WTERMSIG(status)) : "?");
	if (log != NULL) {
		size_t len;
		char *text = read_file(log, sizeof(first) - 1, &len);
		if (text != NULL) {
			snprintf(first, sizeof(first), ": %.*s", (int)strcspn(text, "\n"), text);
			free(text);
		}
	}
	say(c, "grade: %s: NOT GRADED, the grader failed (%s)%s%s%s", s->id, how, first,
	    log ? "; log in " : "", log ? log : "");
	free(log);
}

static void finish(struct class *c, struct student *s, int status)
{
	double took = now() - s->start;

	c->running--;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && (s->record = load_record(c, s))) {
		free(keep_log(c, s, ".log"));
		s->state = GRADED;
		c->graded++;
		const char *broken = record_build_failure(s->record);
		c->build_failed += broken != NULL;
		if (!c->tty) {
			char note[200] = "";
			if (broken != NULL)
				snprintf(note, sizeof(note), ", %s did not compile", broken);
			say(c, "grade: [%zu/%zu] %s: %d/%d%s (%.1f s)", c->graded + c->kept + c->failed,
			    c->n, s->id, record_int(s->record, "score"),
			    record_int(s->record, "max_score"), note, took);
		}
	} else if (c->stopping && (WIFSIGNALED(status) ||
				   WEXITSTATUS(status) == WORKER_INTERRUPTED)) {
		free(keep_log(c, s, NULL));
		s->state = TODO;	/* stopped half-way: graded next time */
	} else {
		worker_failed(c, s, status);
	}
	draw_bar(c, true);
}

static void reap(struct class *c)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		for (size_t i = 0; i < c->n; i++)
			if (c->s[i].state == RUNNING && c->s[i].pid == pid) {
				finish(c, &c->s[i], status);
				break;
			}
	/* Other pids: orphans of a killed worker, adopted as subreaper. */
}

/* Every worker, and every child the kernel lists (orphans of a worker that
 * came back to us), SIGKILLed until none is left.  Only used when workers
 * did not stop when told. */
static void kill_all_children(struct class *c)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	for (;;) {
		int pid, listed = 0;
		for (size_t i = 0; i < c->n; i++)
			if (c->s[i].state == RUNNING)
				kill(c->s[i].pid, SIGKILL);
		FILE *f = fopen(path, "re");
		while (f != NULL && fscanf(f, "%d", &pid) == 1)
			if (pid > 0 && kill(pid, SIGKILL) == 0)
				listed++;
		if (f != NULL)
			fclose(f);
		reap(c);
		if (c->running == 0 && listed == 0)
			return;
		usleep(10000);
	}
}

static void interrupt(struct class *c)
{
	if (c->stopping) {	/* a second Ctrl-C: no more waiting */
		kill_all_children(c);
		return;
	}
	c->stopping = true;
	c->stop_at = now() + STOP_GRACE;
	say(c, "grade: interrupted: stopping %zu worker%s; finished results are kept",
	    c->running, c->running == 1 ? "" : "s");
	for (size_t i = 0; i < c->n; i++)
		if (c->s[i].state == RUNNING)
			kill(c->s[i].pid, SIGTERM);
}

/* Until every student is graded, or the run is stopped. */
static void schedule(struct class *c, const sigset_t *signals)
{
	c->t0 = now();
	for (;;) {
		while (!c->stopping && c->running < c->jobs && c->next < c->n) {
			struct student *s = &c->s[c->next++];
			if (s->state == TODO)
				start(c, s);
		}
		if (c->running == 0 && (c->stopping || c->next == c->n))
			return;
		draw_bar(c, false);
		struct timespec tick = { 0, 200 * 1000 * 1000 };
		int sig = sigtimedwait(signals, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
			interrupt(c);
		reap(c);
		if (c->stopping && c->running > 0 && now() > c->stop_at) {
			say(c, "grade: workers did not stop within %.0f s: killed", STOP_GRACE);
			kill_all_children(c);
		}
	}
}

/* --- the class's summary ----------------------------------------------------- */

static void csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL && s[0] != ' ' && s[strlen(s) - 1] != ' ') {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static json_t *record_lab(json_t *rec, const char *id)
{
	size_t i;
	json_t *lab;

	json_array_foreach(json_object_get(rec, "labs"), i, lab)
		if (string_is(lab, "id", id))
			return lab;
	return NULL;
}

/* One row per student, graded or not: id, total, one column per lab. */
static char *grades_csv(const struct class *c)
{
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	fputs("id,total", f);
	for (size_t i = 0; i < c->o->nlabs; i++)
		fprintf(f, ",%s", c->o->labs[i]->id);
	fputc('\n', f);
	for (size_t i = 0; i < c->n; i++) {
		json_t *rec = c->s[i].record;
		csv_field(f, c->s[i].id);
		fputc(',', f);
		if (rec != NULL)
			fprintf(f, "%d", record_int(rec, "score"));
		for (size_t j = 0; j < c->o->nlabs; j++) {
			json_t *lab = record_lab(rec, c->o->labs[j]->id);
			fputc(',', f);
			if (lab != NULL)
				fprintf(f, "%d", record_int(lab, "score"));
		}
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

/* A check across the class.  Names may hold the student's random values
 * ("random run 1: fork_share 4821 77"): the words that differ become "*". */
struct check_stat {
	char *name;
	size_t passed, seen;
	int lab;
	size_t index;
};

static void merge_name(char **name, const char *other)
{
	if (strcmp(*name, other) == 0)
		return;
	char *a = xstrdup(*name), *b = xstrdup(other), *sa = NULL, *sb = NULL;
	size_t size = strlen(*name) + 4;
	char *out = xcalloc(1, size);
	char *ta = strtok_r(a, " ", &sa), *tb = strtok_r(b, " ", &sb);

	for (; ta != NULL && tb != NULL; ta = strtok_r(NULL, " ", &sa), tb = strtok_r(NULL, " ", &sb)) {
		if (*out != '\0')
			strcat(out, " ");
		strcat(out, strcmp(ta, tb) == 0 ? ta : "*");
	}
	if (ta != NULL || tb != NULL)	/* not the same shape: the part before ':' */
		snprintf(out, size, "%.*s: *", (int)strcspn(*name, ":"), *name);
	free(*name);
	*name = out;
	free(a);
	free(b);
}

static int cmp_rate(const void *pa, const void *pb)
{
	const struct check_stat *a = pa, *b = pb;
	double ra = (double)a->passed / (double)a->seen, rb = (double)b->passed / (double)b->seen;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->lab != b->lab)
		return a->lab - b->lab;
	return a->index < b->index ? -1 : a->index > b->index;
}

static struct check_stat *check_stats(const struct class *c, size_t *count)
{
	struct check_stat *st = NULL;
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		for (size_t l = 0; c->s[i].record != NULL && l < c->o->nlabs; l++) {
			json_t *checks = json_object_get(record_lab(c->s[i].record, c->o->labs[l]->id),
							 "checks"), *chk;
			size_t j;
			json_array_foreach(checks, j, chk) {
				const char *name = json_string_value(json_object_get(chk, "name"));
				size_t k = 0;
				while (k < n && !(st[k].lab == (int)l && st[k].index == j))
					k++;
				if (k == n) {
					st = xrealloc(st, (n + 1) * sizeof(*st));
					st[n++] = (struct check_stat){ .name = xstrdup(name ? name : "?"),
								       .lab = (int)l, .index = j };
				} else {
					merge_name(&st[k].name, name ? name : "?");
				}
				st[k].seen++;
				st[k].passed += json_is_true(json_object_get(chk, "passed"));
			}
		}
	}
	if (n > 1)
		qsort(st, n, sizeof(*st), cmp_rate);
	*count = n;
	return st;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static double mean_of(const int *t, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += t[i];
	return n > 0 ? sum / (double)n : 0;
}

static double median_of(const int *sorted, size_t n)
{
	if (n == 0)
		return 0;
	return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

struct histogram {
	int width;		/* points per bin */
	size_t nbins;
	size_t *count;
};

/* About 20 bins over 0..max, each a whole number of points. */
static void histogram(struct histogram *h, const int *totals, size_t n, int max)
{
	h->width = (max + 20) / 20 > 0 ? (max + 20) / 20 : 1;
	h->nbins = (size_t)(max / h->width + 1);
	h->count = xcalloc(h->nbins, sizeof(*h->count));
	for (size_t i = 0; i < n; i++) {
		int t = totals[i] < 0 ? 0 : totals[i] > max ? max : totals[i];
		h->count[t / h->width]++;
	}
}

static void bin_label(char *buf, size_t size, const struct histogram *h, size_t b, int max)
{
	int lo = (int)b * h->width, hi = lo + h->width - 1 > max ? max : lo + h->width - 1;

	if (lo == hi)
		snprintf(buf, size, "%d", lo);
	else
		snprintf(buf, size, "%d-%d", lo, hi);
}

static char *summary_text(const struct class *c, const int *totals, size_t n, int max,
			  const struct histogram *h)
{
	char *text;
	size_t size, nst;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	fprintf(f, "mmaplab class summary: %s (class seed %u)\n\n", c->o->dir, c->seed);
	fprintf(f, "students:  %zu graded, %zu of them failed to build at least one lab",
		n, c->build_failed);
	if (c->failed > 0) {
		fprintf(f, "\n           %zu NOT graded (the grader failed; see students/ID.error.log):",
			c->failed);
		for (size_t i = 0; i < c->n; i++)
			if (c->s[i].state == FAILED)
				fprintf(f, " %s", c->s[i].id);
	}
	fputc('\n', f);
	if (n > 0)
		fprintf(f, "total:     mean %.1f, median %.1f, lowest %d, highest %d (out of %d)\n",
			mean_of(totals, n), median_of(totals, n), totals[0], totals[n - 1], max);
	fprintf(f, "\n%-24s %12s  %s\n", "lab", "mean", "failed to build");
	for (size_t l = 0; l < c->o->nlabs; l++) {
		double sum = 0;
		int lab_max = 0;
		size_t broken = 0;
		for (size_t i = 0; i < c->n; i++) {
			json_t *lab = record_lab(c->s[i].record, c->o->labs[l]->id);
			if (lab == NULL)
				continue;
			sum += record_int(lab, "score");
			lab_max = record_int(lab, "max_score");
			broken += json_is_false(json_object_get(lab, "built"));
		}
		fprintf(f, "%-24s %7.1f / %-3d %zu\n", c->o->labs[l]->id, n ? sum / (double)n : 0.0,
			lab_max, broken);
	}

	struct check_stat *st = check_stats(c, &nst);
	fputs("\nchecks most of the class failed (passed by fewer than half):\n", f);
	size_t most = 0;
	for (; most < nst && 2 * st[most].passed < st[most].seen; most++)
		fprintf(f, "  %3.0f%%  %s: %s\n", 100.0 * (double)st[most].passed / (double)st[most].seen,
			c->o->labs[st[most].lab]->id, st[most].name);
	if (most == 0)
		fputs("  none\n", f);
	fputs("\npass rate of every check, lowest first:\n", f);
	for (size_t k = 0; k < nst; k++) {
		fprintf(f, "  %3.0f%%  %s: %s\n", 100.0 * (double)st[k].passed / (double)st[k].seen,
			c->o->labs[st[k].lab]->id, st[k].name);
		free(st[k].name);
	}
	free(st);

	if (n > 0) {
		size_t top = 1;
		for (size_t b = 0; b < h->nbins; b++)
			top = h->count[b] > top ? h->count[b] : top;
		fputs("\ntotals (histogram.svg draws the same):\n", f);
		for (size_t b = 0; b < h->nbins; b++) {
			char label[32];
			bin_label(label, sizeof(label), h, b, max);
			size_t bar = (h->count[b] * 50 + top - 1) / top;
			fprintf(f, "  %7s  %4zu  %.*s\n", label, h->count[b], (int)bar,
				"##################################################");
		}
	}
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

/* histogram.gp keeps the data, so that `gnuplot histogram.gp` redraws it. */
static char *gnuplot_script(const struct histogram *h, size_t n, int max)
{
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	fputs("# The class's totals, written by grade --class: `gnuplot histogram.gp`\n"
	      "# redraws histogram.svg and histogram.png.\n"
	      "if (!exists(\"svg\")) svg = \"histogram.svg\"\n"
	      "if (!exists(\"png\")) png = \"histogram.png\"\n$totals << EOD\n", f);
	for (size_t b = 0; b < h->nbins; b++) {
		char label[32];
		bin_label(label, sizeof(label), h, b, max);
		fprintf(f, "\"%s\" %zu\n", label, h->count[b]);
	}
	size_t top = 0;
	for (size_t b = 0; b < h->nbins; b++)
		top = h->count[b] > top ? h->count[b] : top;
	fprintf(f, "EOD\nset title \"mmaplab: totals of %zu students (out of %d points)\"\n"
		"set xlabel \"total\"\nset ylabel \"students\"\nset key off\nset grid ytics\n"
		"set xrange [-0.6:%zu.4]\nset yrange [0:*]\n%s"
		"set style fill solid 0.7 border -1\nset boxwidth 0.85 relative\n"
		"set xtics rotate by -45\n"
		"set terminal svg size 900,500 font \"sans,12\" background \"white\"\n"
		"set output svg\nplot $totals using 0:2:xtic(1) with boxes lc rgb \"#3b6ea8\"\n"
		"set terminal pngcairo size 900,500 font \"sans,11\"\nset output png\nreplot\n",
		n, max, h->nbins - 1, top <= 10 ? "set ytics 1\n" : "");
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

/* Runs gnuplot on histogram.gp in RESULTS_DIR; its pictures are renamed
 * into place only once both are drawn.  False (said why) if it could not. */
static bool draw_histogram(const struct class *c)
{
	static const char *const made[] = { "histogram.svg", "histogram.png" };
	char *const argv[] = { "gnuplot", "-e", "svg='histogram.svg.tmp'; png='histogram.png.tmp'",
			       "histogram.gp", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	pid_t pid;
	int status = 0;

	sigemptyset(&none);
	sigemptyset(&dfl);
	for (const int *sig = (const int[]){ SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, 0 };
	     *sig != 0; sig++)
		sigaddset(&dfl, *sig);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, c->o->out);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, ".gnuplot.log",
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int e = posix_spawnp(&pid, "gnuplot", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (e == 0)
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	char *log = xasprintf("%s/.gnuplot.log", c->o->out);
	bool ok = e == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	for (size_t i = 0; i < 2; i++) {
		char *tmp = xasprintf("%s/%s.tmp", c->o->out, made[i]);
		char *final = xasprintf("%s/%s", c->o->out, made[i]);
		if (ok && rename(tmp, final) == -1)
			die_errno("rename %s", tmp);
		unlink(tmp);
		free(tmp);
		free(final);
	}
	if (e == ENOENT) {
		fprintf(stderr, "grade: gnuplot is not installed: no histogram.svg or .png "
			"(apt-get install gnuplot-nox); grades.csv and summary.txt are written\n");
	} else if (!ok) {
		size_t len;
		char *text = read_file(log, 2000, &len);
		fprintf(stderr, "grade: gnuplot could not draw the histogram%s%s%s\n",
			e ? ": " : "", e ? strerror(e) : "", text && *text ? ":" : "");
		if (text != NULL)
			fputs(text, stderr);
		free(text);
	}
	unlink(log);
	free(log);
	return ok;
}

/* grades.csv, summary.txt, histogram.gp/.svg/.png; returns whether the
 * pictures were drawn. */
static bool write_summary(const struct class *c, int *max_out, double *mean, double *median)
{
	int *totals = xcalloc(c->n, sizeof(int)), max = 0;
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->s[i].record != NULL) {
			totals[n++] = record_int(c->s[i].record, "score");
			int m = record_int(c->s[i].record, "max_score");
			max = m > max ? m : max;
		}
	if (n > 1)
		qsort(totals, n, sizeof(int), cmp_int);
	struct histogram h;
	histogram(&h, totals, n, max);

	char *path = xasprintf("%s/grades.csv", c->o->out), *text = grades_csv(c);
	write_or_die(path, text);
	free(path);
	free(text);
	path = xasprintf("%s/summary.txt", c->o->out);
	text = summary_text(c, totals, n, max, &h);
	write_or_die(path, text);
	free(path);
	free(text);

	bool drawn = false;
	if (n > 0) {
		path = xasprintf("%s/histogram.gp", c->o->out);
		text = gnuplot_script(&h, n, max);
		write_or_die(path, text);
		free(path);
		free(text);
		drawn = draw_histogram(c);
	}
	*max_out = max;
	*mean = mean_of(totals, n);
	*median = median_of(totals, n);
	free(h.count);
	free(totals);
	return drawn;
}

/* --- the whole run ---------------------------------------------------------------- */

static unsigned cores(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* --jobs N uses N cores at most, the first N this process may use: a
 * grading runs some of its programs side by side, so N students at a time
 * could otherwise spread over every core of a shared machine.  Returns how
 * many it uses.  (A program may move itself elsewhere: a courtesy, not a
 * wall.) */
static unsigned use_cores(unsigned n)
{
	cpu_set_t set, some;
	unsigned used = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == -1)
		return cores();
	CPU_ZERO(&some);
	for (int cpu = 0; cpu < CPU_SETSIZE && used < n; cpu++)
		if (CPU_ISSET(cpu, &set)) {
			CPU_SET(cpu, &some);
			used++;
		}
	if (used < (unsigned)CPU_COUNT(&set) && sched_setaffinity(0, sizeof(some), &some) == -1)
		die_errno("sched_setaffinity (--jobs %u)", n);
	return used;
}

/* One class run at a time per RESULTS_DIR. */
static int lock_results(const char *out)
{
	char *path = xasprintf("%s/.lock", out);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd == -1)
		die_errno("cannot create %s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) == -1)
		die("%s is in use by another grade --class", out);
	free(path);
	return fd;
}

int class_main(const struct class_options *o)
{
	struct class c = { .o = o, .ext = format_ext(o->reporter->name) };
	sigset_t signals;

	if (mkdir(o->out, 0755) == -1 && errno != EEXIST)
		die_errno("cannot create %s", o->out);
	int lock = lock_results(o->out);
	c.students = xasprintf("%s/students", o->out);
	if (mkdir(c.students, 0755) == -1 && errno != EEXIST)
		die_errno("cannot create %s", c.students);
	remove_leftovers(o->out, false);
	remove_leftovers(c.students, true);
	c.grader = grader_hash();
	class_seed(&c);
	list_students(&c);
	if (c.n == 0)
		die("%s holds no student folders (one folder per student, named by the student's id)",
		    o->dir);
	c.jobs = o->jobs > 0 ? o->jobs : cores();
	unsigned on = use_cores(c.jobs);
	const char *term = getenv("TERM");
	c.tty = isatty(STDERR_FILENO) && term != NULL && strcmp(term, "dumb") != 0;

	for (size_t i = 0; i < c.n; i++) {
		struct student *s = &c.s[i];
		json_t *rec = o->regrade ? NULL : load_record(&c, s);
		if (rec != NULL && record_current(&c, s, rec)) {
			s->record = rec;
			s->state = KEPT;
			c.kept++;
			c.build_failed += record_build_failure(rec) != NULL;
		} else {
			json_decref(rec);
		}
	}
	fprintf(stderr, "grade: %zu students in %s, %u at a time on %u core%s; results in %s\n",
		c.n, o->dir, c.jobs, on, on == 1 ? "" : "s", o->out);
	if (c.kept > 0)
		fprintf(stderr, "grade: %zu graded before and unchanged since: kept "
			"(--regrade grades them again)\n", c.kept);

	/* Signals wait in the mask for the loop; a worker unblocks its own. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGCHLD);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGHUP);
	sigprocmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);
	run_init();	/* orphans of a killed worker come back to us */
	/* Searchable: the sandbox's uid must reach the folders under it. */
	c.tmp = make_temp_dir(NULL, "mmaplab-class");
	if (chmod(c.tmp, 0711) == -1)
		die_errno("chmod %s", c.tmp);
	schedule(&c, &signals);
	if (remove_tree(c.tmp) == -1)
		fprintf(stderr, "grade: cannot remove %s: %s\n", c.tmp, strerror(errno));
	if (c.tty)
		fputs("\r\033[K", stderr);

	int status = c.failed > 0 ? EXIT_GRADER : 0;
	size_t todo = c.n - c.graded - c.kept - c.failed;
	if (c.stopping) {
		fprintf(stderr, "grade: interrupted: %zu students graded and kept in %s; run the "
			"same command again to grade the other %zu\n", c.graded + c.kept,
			c.students, todo);
		status = EXIT_GRADER;
	} else {
		int max;
		double mean, median;
		char took[32];
		bool drawn = write_summary(&c, &max, &mean, &median);
		duration(took, sizeof(took), now() - c.t0);
		printf("grade: %zu students graded in %s (%zu kept from the last run), %zu failed "
		       "to build, %zu not graded\n", c.graded + c.kept, took, c.kept,
		       c.build_failed, c.failed);
		printf("grade: mean %.1f/%d, median %.1f/%d\n", mean, max, median, max);
		printf("grade: %s/grades.csv, %s/summary.txt%s%s%s; each student's report in %s/\n",
		       o->out, o->out, drawn ? ", " : "", drawn ? o->out : "",
		       drawn ? "/histogram.svg and .png" : "", c.students);
	}
	for (size_t i = 0; i < c.n; i++) {
		free(c.s[i].id);
		free(c.s[i].sub);
		free(c.s[i].hash);
		json_decref(c.s[i].record);
	}
	free(c.s);
	free(c.tmp);
	free(c.students);
	free(c.grader);
	close(lock);
	return status;
}
