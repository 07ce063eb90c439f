/*
 * test_corpus.c: grades each wrong submission of the corpus with bin/grade
 * and compares the verdict with the one its `expect` file asks for.
 *
 *   test_corpus [CORPUS_DIR]        (default harness/tests/corpus)
 *
 * Every folder of CORPUS_DIR is a case: folders named after labs, holding the
 * files a student changed, and `expect` (the format is in README.md beside
 * this file).  Cases are found when the program starts, so adding a case is
 * adding files.  For each case, one Check test: solutions/ is copied into a
 * fresh folder, the case's files are laid over it, and bin/grade grades it
 * twice with the same --seed, as JSON and as text, at the same time (once
 * per `sandbox` layer the case names).  Besides what `expect` says, every
 * grading must keep to SPEC §2: exit 0 exactly when every check passed and 1
 * otherwise, the text's "Score: A/B" the JSON's, nothing written into the
 * submission, nothing left in $TMPDIR, no process left behind, a text report
 * a terminal can show (UTF-8, no control bytes the program printed).
 *
 * The hostile corpus (harness/tests/hostile/) uses the same runner: its cases
 * find canaries around the submission (a classmate's folder, secrets, a file
 * only root may read) and name them with @...@ words; `student` lines make a
 * case a class graded with --class.
 *
 * GRADE (default bin/grade) and SOLUTIONS (default solutions) name the grader
 * and the submission a case is laid over.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run/run.h"
#include "run/sys.h"

#define MAX_FILE (1024 * 1024)	/* a source file or a report */
#define DEFAULT_SEED 1
#define MAX_LAYERS 3		/* auto, posix, bwrap */
#define DEFAULT_JOBS 2		/* --jobs of a class case */

/* ---- the expect file ------------------------------------------------------------ */

struct list {
	char **v;
	size_t n;
};

struct expect {
	char *why, *lab;
	bool all_labs;		/* grade every lab, not just --lab */
	bool noleft;		/* nothing of the run uid survives the grading */
	unsigned seed;
	int built;		/* -1: not asserted; 0 or 1 */
	long score, below, lost;	/* -1: not asserted */
	long within;		/* seconds a grading may take; -1: not asserted */
	long jobs;		/* --jobs of a class; -1: DEFAULT_JOBS */
	struct list fail, pass, says, lacks, remove, untouched, indented, layers, students;
	char *root_only;	/* why the case holds only when graded as root; NULL: always */
};

static void list_add(struct list *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void expect_free(struct expect *e)
{
	free(e->why);
	free(e->lab);
	free(e->root_only);
	list_free(&e->fail);
	list_free(&e->pass);
	list_free(&e->says);
	list_free(&e->lacks);
	list_free(&e->remove);
	list_free(&e->untouched);
	list_free(&e->indented);
	list_free(&e->layers);
	list_free(&e->students);
}

static bool listed(const struct list *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

/* Digits only, at most 9 of them: -1 otherwise. */
static long number(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n == 0 || n > 9 || s[n] != '\0' ? -1 : atol(s);
}

/* Parses text into e; false with a message in err, naming the line, if the
 * file is not exactly what README.md describes.  e is freed either way by
 * expect_free. */
static bool parse_expect(const char *text, struct expect *e, char *err, size_t size)
{
	char *copy = xstrdup(text);
	int lineno = 0;
	bool ok = false, seeded = false;

	memset(e, 0, sizeof(*e));
	e->built = -1;
	e->score = e->below = e->lost = e->within = e->jobs = -1;
	e->seed = DEFAULT_SEED;
	/* strsep, not strtok: empty lines keep their numbers. */
	for (char *rest = copy, *line; (line = strsep(&rest, "\n")) != NULL;) {
		lineno++;
		if (rest == NULL && *line == '\0')
			break;	/* after the last newline */
		size_t len = strlen(line);
		if (len > 0 && strchr(" \t\r", line[len - 1]) != NULL) {
			snprintf(err, size, "line %d: trailing white space", lineno);
			goto out;
		}
		if (lineno == 1) {
			if (strncmp(line, "# why: ", 7) != 0 || line[7] == '\0') {
				snprintf(err, size, "line 1 must be \"# why: \" and the mistake");
				goto out;
			}
			e->why = xstrdup(line + 7);
			continue;
		}
		if (*line == '\0' || *line == '#')
			continue;
		if (strcmp(line, "all labs") == 0 || strcmp(line, "noleft") == 0) {
			*(line[0] == 'a' ? &e->all_labs : &e->noleft) = true;
			continue;
		}
		char *arg = strchr(line, ' ');
		if (arg == NULL || arg[1] == '\0' || arg[1] == ' ') {
			snprintf(err, size, "line %d: \"%.40s\" needs one space and an argument",
				 lineno, line);
			goto out;
		}
		*arg++ = '\0';
		struct list *l = strcmp(line, "fail") == 0 ? &e->fail :
				 strcmp(line, "pass") == 0 ? &e->pass :
				 strcmp(line, "says") == 0 ? &e->says :
				 strcmp(line, "lacks") == 0 ? &e->lacks :
				 strcmp(line, "remove") == 0 ? &e->remove :
				 strcmp(line, "untouched") == 0 ? &e->untouched :
				 strcmp(line, "indented") == 0 ? &e->indented :
				 strcmp(line, "student") == 0 ? &e->students : NULL;
		long *num = strcmp(line, "score") == 0 ? &e->score :
			    strcmp(line, "below") == 0 ? &e->below :
			    strcmp(line, "lost") == 0 ? &e->lost :
			    strcmp(line, "within") == 0 ? &e->within :
			    strcmp(line, "jobs") == 0 ? &e->jobs : NULL;
		if (l == &e->untouched && arg[0] != '/' && arg[0] != '@') {
			snprintf(err, size, "line %d: untouched takes an absolute path", lineno);
			goto out;
		} else if (l != NULL) {
			list_add(l, arg);
		} else if (strcmp(line, "root-only") == 0 && e->root_only == NULL) {
			e->root_only = xstrdup(arg);
		} else if (strcmp(line, "sandbox") == 0) {
			if ((strcmp(arg, "auto") != 0 && strcmp(arg, "posix") != 0 &&
			     strcmp(arg, "bwrap") != 0) || listed(&e->layers, arg)) {
				snprintf(err, size, "line %d: sandbox auto, posix or bwrap, each once",
					 lineno);
				goto out;
			}
			list_add(&e->layers, arg);
		} else if (num != NULL) {
			if (*num != -1 || number(arg) < (num == &e->jobs || num == &e->within)) {
				snprintf(err, size, "line %d: one %s, a number", lineno, line);
				goto out;
			}
			*num = number(arg);
		} else if (strcmp(line, "lab") == 0) {
			if (e->lab != NULL || strlen(arg) < 4 || arg[0] < '0' || arg[0] > '9' ||
			    arg[1] < '0' || arg[1] > '9' || arg[2] != '-' || strchr(arg, '/')) {
				snprintf(err, size, "line %d: one lab, named NN-name", lineno);
				goto out;
			}
			e->lab = xstrdup(arg);
		} else if (strcmp(line, "built") == 0) {
			if (e->built != -1 || (strcmp(arg, "yes") != 0 && strcmp(arg, "no") != 0)) {
				snprintf(err, size, "line %d: one built, yes or no", lineno);
				goto out;
			}
			e->built = strcmp(arg, "yes") == 0;
		} else if (strcmp(line, "seed") == 0) {
			if (seeded || number(arg) < 0) {
				snprintf(err, size, "line %d: one seed, a number", lineno);
				goto out;
			}
			seeded = true;
			e->seed = (unsigned)number(arg);
		} else {
			snprintf(err, size, "line %d: unknown line \"%.40s\"", lineno, line);
			goto out;
		}
	}
	if (e->why == NULL)
		snprintf(err, size, "empty: line 1 must be \"# why: \" and the mistake");
	else if (e->lab == NULL)
		snprintf(err, size, "no \"lab NN-name\" line");
	else if ((e->score != -1) + (e->below != -1) + (e->lost != -1) > 1)
		snprintf(err, size, "score, below and lost together: one of them");
	else if (e->students.n > 0 && (e->all_labs || e->fail.n + e->pass.n + e->says.n +
					 e->indented.n + e->remove.n > 0 || e->score != -1 ||
					 e->below != -1 || e->lost != -1 || e->built != -1))
		snprintf(err, size, "a class (student lines) asserts only lacks, noleft, within and "
			 "untouched");
	else if (e->students.n == 0 && e->jobs != -1)
		snprintf(err, size, "jobs without student lines: jobs is for a class");
	else if (e->fail.n + e->pass.n + e->says.n + e->lacks.n + e->untouched.n +
		 e->indented.n + e->students.n == 0 && e->score == -1 && e->below == -1 &&
		 e->lost == -1 && e->built == -1 && e->within == -1 && !e->noleft)
		snprintf(err, size, "nothing to assert: a case that cannot fail");
	else
		ok = true;
out:
	free(copy);
	return ok;
}

/* ---- folders -------------------------------------------------------------------- */

static const char *corpus_dir, *grade_path, *solutions_dir;
static char **cases;
static size_t ncases;

static bool is_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The names in dir, sorted; folders only or files only. */
static char **names_in(const char *dir, bool folders, size_t *n)
{
	struct dirent **list;
	int count = scandir(dir, &list, NULL, alphasort);
	char **names = xcalloc((size_t)(count > 0 ? count : 0) + 1, sizeof(*names));

	if (count < 0)
		die_errno("cannot read %s", dir);
	*n = 0;
	for (int i = 0; i < count; i++) {
		char *path = xasprintf("%s/%s", dir, list[i]->d_name);
		if (list[i]->d_name[0] != '.' && is_dir(path) == folders)
			names[(*n)++] = xstrdup(list[i]->d_name);
		free(path);
		free(list[i]);
	}
	free(list);
	return names;
}

static void free_names(char **names)
{
	for (char **p = names; *p != NULL; p++)
		free(*p);
	free(names);
}

/* The absolute paths a case's files and `expect` may name with @...@ words
 * (README.md); @SOLUTIONS@ is solutions_dir. */
struct places {
	const char *tmp, *class, *peer, *submission;
};

/* s with every @...@ word replaced by its path; free the result. */
static char *expand(const char *s, const struct places *pl)
{
	const char *const words[][2] = {
		{ "@TMP@", pl->tmp }, { "@CLASS@", pl->class }, { "@PEER@", pl->peer },
		{ "@SUBMISSION@", pl->submission }, { "@SOLUTIONS@", solutions_dir },
	};
	const size_t nwords = sizeof(words) / sizeof(words[0]);
	char *out;
	size_t size;
	FILE *f = open_memstream(&out, &size);

	if (f == NULL)
		die_errno("open_memstream");
	while (*s != '\0') {
		size_t k = 0;
		while (k < nwords && strncmp(s, words[k][0], strlen(words[k][0])) != 0)
			k++;
		if (k < nwords) {
			fputs(words[k][1], f);
			s += strlen(words[k][0]);
		} else {
			fputc(*s++, f);
		}
	}
	if (fclose(f) != 0)
		die("out of memory");
	return out;
}

/* Writes text into dir/name, a new file of the given mode. */
static void put_file(const char *dir, const char *name, const char *text, mode_t mode)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	size_t len = strlen(text);

	if (fd == -1 || write(fd, text, len) != (ssize_t)len || fchmod(fd, mode) == -1 ||
	    close(fd) == -1)
		die_errno("cannot write %s", path);
	free(path);
}

/* What a hostile program must never get at (README.md), planted at the top
 * of a folder, where no build looks: the graded submission gets the first,
 * the classmate's folder beside it the other two, a student of a class all. */
static const struct {
	const char *name, *text;
	mode_t mode;
} canaries[] = {
	{ ".notes", "notes-secret-9a4b\n", 0644 },
	{ "secret.h", "#define PEER_SECRET \"peer-secret-8c1f\"\n", 0644 },
	{ "private.txt", "root-only-secret-5e2d\n", 0600 },
};

enum { OWN_CANARIES = 1, ALL_CANARIES = sizeof(canaries) / sizeof(canaries[0]) };

static void plant_canaries(const char *dir, size_t from, size_t to)
{
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		die_errno("mkdir %s", dir);
	for (size_t i = from; i < to; i++)
		put_file(dir, canaries[i].name, canaries[i].text, canaries[i].mode);
}

/* Copies the tree from into to (made if missing), replacing files already
 * there, and with the @...@ words of pl replaced if pl is not NULL; returns
 * how many files were copied, or -1 with a message in err. */
static long copy_tree(const char *from, const char *to, const struct places *pl, char *err,
		      size_t size)
{
	size_t n;
	long copied = 0;

	if (mkdir(to, 0755) == -1 && errno != EEXIST)
		die_errno("mkdir %s", to);
	char **dirs = names_in(from, true, &n), **files = names_in(from, false, &n);
	for (char **d = dirs; *d != NULL && copied >= 0; d++) {
		char *a = xasprintf("%s/%s", from, *d), *b = xasprintf("%s/%s", to, *d);
		long c = copy_tree(a, b, pl, err, size);
		copied = c < 0 ? -1 : copied + c;
		free(a);
		free(b);
	}
	int in = open(from, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int out = open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (in == -1 || out == -1)
		die_errno("open %s or %s", from, to);
	for (char **f = files; *f != NULL && copied >= 0; f++) {
		if (unlinkat(out, *f, 0) == -1 && errno != ENOENT)
			die_errno("unlink %s/%s", to, *f);
		char *path = xasprintf("%s/%s", from, *f), *text = NULL;
		size_t len = 0;
		if (pl != NULL && ((text = read_file(path, MAX_FILE, &len)) == NULL ||
				   strlen(text) != len)) {
			snprintf(err, size, "cannot copy %s: %s (only text files)", path,
				 text == NULL ? strerror(errno) : "a NUL byte");
			copied = -1;
		} else if (pl != NULL) {
			char *expanded = expand(text, pl);
			put_file(to, *f, expanded, 0644);
			free(expanded);
			copied++;
		} else if (copy_file(in, *f, out, MAX_FILE) == -1) {
			snprintf(err, size, "cannot copy %s: %s (only regular files)", path,
				 strerror(errno));
			copied = -1;
		} else {
			copied++;
		}
		free(text);
		free(path);
	}
	close(in);
	close(out);
	free_names(dirs);
	free_names(files);
	return copied;
}

/* Every name, type, mode, size, time and content hash under root, as one
 * string: two snapshots differ if anything under root was written. */
static FILE *snap_out;
static size_t snap_root;

static int snap_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)type;
	(void)ftw;
	fprintf(snap_out, "%s %o %lld m%lld.%09ld c%lld.%09ld", path + snap_root,
		(unsigned)st->st_mode, (long long)st->st_size, (long long)st->st_mtim.tv_sec,
		st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
	if (S_ISREG(st->st_mode)) {
		size_t len = 0;
		char *data = read_file(path, MAX_FILE, &len);
		if (data == NULL)
			die_errno("cannot read %s", path);
		unsigned long long h = 14695981039346656037ULL;	/* FNV-1a */
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)data[i]) * 1099511628211ULL;
		fprintf(snap_out, " %016llx", h);
		free(data);
	}
	fputc('\n', snap_out);
	return 0;
}

static char *snapshot(const char *root)
{
	char *text;
	size_t size;
	struct stat st;

	if (lstat(root, &st) == -1 && errno == ENOENT)
		return xstrdup("(absent)\n");
	if (lstat(root, &st) == -1 && errno == EACCES)	/* an ordinary user's run */
		return xstrdup("(not seen by this uid)\n");
	snap_out = open_memstream(&text, &size);
	snap_root = strlen(root);
	if (snap_out == NULL || nftw(root, snap_one, 16, FTW_PHYS) == -1)
		die_errno("cannot list %s", root);
	fclose(snap_out);
	return text;
}

/* ---- grading, in a worker process ------------------------------------------------ */

/* One bin/grade run.  run_program() reaps every child of its caller, so each
 * grading runs in a worker of its own, and the test process runs none. */
struct grading {
	const char *format;	/* json, text, or class */
	const char *layer;	/* --sandbox; NULL: the grader's default */
	char *tag;		/* "json", "json, posix": names the grading in messages */
	char *dir;		/* the grader's working directory and $TMPDIR */
	char *result;		/* the worker writes the report there */
	pid_t worker;
	/* after collect(): */
	enum run_end end;
	int code, leftover;
	double wall;		/* seconds, from the start to the last process gone */
	char *report, *err;
};

static const struct run_limits grader_limits = {
	.wall_sec = 150, .cpu_sec = 120,	/* above the grader's own build limits */
	.keep_bytes = MAX_FILE, .kill_bytes = 8 * MAX_FILE,
	.nproc = 512, .fsize = 256 << 20, .as = 16UL << 30, .nofile = 1024,
};

/* Starts bin/grade [--sandbox LAYER] ARGS... in a worker, in a folder of its
 * own under tmp. */
static void start(struct grading *g, const char *tmp, const char *const *args)
{
	g->tag = g->layer ? xasprintf("%s, %s", g->format, g->layer) : xstrdup(g->format);
	g->dir = xasprintf("%s/run-%s%s%s", tmp, g->format, g->layer ? "-" : "",
			   g->layer ? g->layer : "");
	g->result = xasprintf("%s.result", g->dir);
	if (mkdir(g->dir, 0755) == -1 || chmod(g->dir, 0755) == -1)
		die_errno("mkdir %s", g->dir);
	fflush(NULL);
	if ((g->worker = fork()) == -1)
		die_errno("fork");
	if (g->worker != 0)
		return;

	const char *argv[24];
	size_t n = 0;
	argv[n++] = grade_path;
	if (g->layer != NULL) {
		argv[n++] = "--sandbox";
		argv[n++] = g->layer;
	}
	while (*args != NULL && n < sizeof(argv) / sizeof(argv[0]) - 1)
		argv[n++] = *args++;
	argv[n] = NULL;
	struct run_spec spec = { .argv = argv, .dir = g->dir, .limits = grader_limits };
	struct run_result r;
	run_init();
	if (run_program(&spec, &r) == -1 || r.end == RUN_NOT_STARTED) {
		fprintf(stderr, "cannot run %s: %s\n", grade_path, r.error);
		_exit(3);
	}
	/* "END CODE LEFTOVER WALL OUTBYTES ERRBYTES\n", stdout, stderr */
	FILE *f = fopen(g->result, "w");
	if (f == NULL || fprintf(f, "%d %d %d %.3f %zu %zu\n", (int)r.end, r.end == RUN_SIGNALED ?
				 r.sig : r.code, r.leftover, r.wall_sec, r.out.len, r.err.len) < 0 ||
	    fwrite(r.out.data, 1, r.out.len, f) != r.out.len ||
	    fwrite(r.err.data, 1, r.err.len, f) != r.err.len || fclose(f) != 0)
		_exit(3);
	_exit(r.out.total == r.out.len ? 0 : 4);
}

/* bin/grade's arguments for one submission (a NULL-ended static array). */
static const char *const *single_args(const struct expect *e, const char *format,
				      unsigned seed, const char *submission)
{
	static char seedarg[16];
	static const char *argv[10];
	size_t n = 0;

	snprintf(seedarg, sizeof(seedarg), "%u", seed);
	argv[n++] = "--seed";
	argv[n++] = seedarg;
	argv[n++] = "--format";
	argv[n++] = format;
	if (!e->all_labs) {
		argv[n++] = "--lab";
		argv[n++] = e->lab;
	}
	argv[n++] = submission;
	argv[n] = NULL;
	return argv;
}

/* Waits for the worker; false with a message if it could not grade. */
static bool collect(struct grading *g, char *err, size_t size)
{
	int status, end;
	size_t len, nout, nerr;
	char *data;
	int used = 0;

	while (waitpid(g->worker, &status, 0) == -1)
		if (errno != EINTR)
			die_errno("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, size, "the %s grading: worker ended with status %#x%s", g->tag,
			 status, WEXITSTATUS(status) == 4 ? " (report over 1 MiB)" : "");
		return false;
	}
	if ((data = read_file(g->result, 3 * MAX_FILE, &len)) == NULL)
		die_errno("cannot read %s", g->result);
	if (sscanf(data, "%d %d %d %lf %zu %zu\n%n", &end, &g->code, &g->leftover, &g->wall,
		   &nout, &nerr, &used) != 6 || used == 0 || (size_t)used + nout + nerr != len)
		die("%s: not what the worker writes", g->result);
	g->end = (enum run_end)end;
	g->report = xasprintf("%.*s", (int)nout, data + used);
	g->err = xasprintf("%.*s", (int)nerr, data + used + nout);
	free(data);
	return true;
}

static void grading_free(struct grading *g)
{
	free(g->tag);
	free(g->dir);
	free(g->result);
	free(g->report);
	free(g->err);
}

/* ---- judging one case ------------------------------------------------------------- */

/* The problems found so far, one per line. */
static void problem(char **all, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(char **all, const char *fmt, ...)
{
	va_list ap;
	char *one;

	va_start(ap, fmt);
	if (vasprintf(&one, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	char *next = xasprintf("%s  %s\n", *all, one);
	free(one);
	free(*all);
	*all = next;
}

/* What SPEC §2 asks of every grading, whatever the case: exit `want`, no
 * process or file left behind. */
static void judge_grading(char **p, const struct grading *g, int want)
{
	char how[64];

	if (g->end != RUN_EXITED) {
		struct run_result r = { .end = g->end, .sig = g->code };
		problem(p, "%s grading: the grader was %s", g->tag,
			run_describe(&r, how, sizeof(how)));
	} else if (g->code != want) {
		problem(p, "%s grading: exit %d, where %d was due", g->tag, g->code, want);
	}
	if (g->leftover != 0)
		problem(p, "%s grading: %d process(es) left behind", g->tag, g->leftover);
	size_t n;
	char **left = names_in(g->dir, true, &n);
	char **files = names_in(g->dir, false, &n);
	if (left[0] != NULL || files[0] != NULL)
		problem(p, "%s grading: left in $TMPDIR: %s", g->tag,
			left[0] != NULL ? left[0] : files[0]);
	free_names(left);
	free_names(files);
}

/* The text report is for a terminal: valid UTF-8 and no control byte but
 * newline and tab (no C1 control either), whatever the program printed. */
static void judge_terminal_safe(char **p, const struct grading *g)
{
	const unsigned char *s = (const unsigned char *)g->report;
	size_t len = strlen(g->report);
	json_t *utf8 = json_stringn(g->report, len);

	if (utf8 == NULL)
		problem(p, "%s grading: the text report is not UTF-8", g->tag);
	json_decref(utf8);
	for (size_t i = 0; i < len; i++)
		if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] == 0x7f ||
		    (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)) {
			problem(p, "%s grading: the text report holds control byte %#x at %zu",
				g->tag, s[i] == 0xc2 ? s[i + 1] : s[i], i);
			return;
		}
}

/* The text report's last line, "Score: A/B"; false if it ends otherwise. */
static bool text_score(const char *text, int *score, int *max)
{
	size_t n = strlen(text);
	int used = 0;

	if (n == 0 || text[n - 1] != '\n')
		return false;
	const char *last = text + n - 1;
	while (last > text && last[-1] != '\n')
		last--;
	return sscanf(last, "Score: %d/%d%n", score, max, &used) == 2 &&
	       last + used == text + n - 1;
}

static json_t *lab_in(json_t *root, const char *id)
{
	size_t i;
	json_t *lab;

	json_array_foreach(json_object_get(root, "labs"), i, lab)
		if (json_is_string(json_object_get(lab, "id")) &&
		    strcmp(json_string_value(json_object_get(lab, "id")), id) == 0)
			return lab;
	return NULL;
}

/* Every check of lab whose name holds `part` has passed == want; at least one. */
static void judge_checks(char **p, json_t *lab, const char *part, bool want)
{
	size_t i, matched = 0;
	json_t *c;

	json_array_foreach(json_object_get(lab, "checks"), i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		if (name == NULL || strstr(name, part) == NULL)
			continue;
		matched++;
		if (json_is_true(json_object_get(c, "passed")) != want)
			problem(p, "%s \"%s\": %s", want ? "pass" : "fail", part, name);
	}
	if (matched == 0)
		problem(p, "%s \"%s\": no check's name holds it", want ? "pass" : "fail", part);
}

/* `indented TEXT`: in the text report, and only in a failed check's
 * indented detail (six spaces or more), never a line of the report's own. */
static void judge_indented(char **p, const char *text, const char *want)
{
	size_t found = 0, wlen = strlen(want);

	for (const char *line = text; *line != '\0';) {
		size_t n = strcspn(line, "\n");
		if (memmem(line, n, want, wlen) != NULL) {
			found++;
			if (strspn(line, " ") < 6)
				problem(p, "indented \"%s\": on a line of the report's own: %.*s", want,
					(int)(n < 200 ? n : 200), line);
		}
		line += n + (line[n] == '\n');
	}
	if (found == 0)
		problem(p, "indented \"%s\": not in the text report", want);
}

static void judge_report(char **p, const struct expect *e, const struct places *pl,
			 json_t *root, const char *text)
{
	json_t *lab = lab_in(root, e->lab);
	size_t i, nlabs = json_array_size(json_object_get(root, "labs"));
	json_t *other;

	if (lab == NULL) {
		problem(p, "lab %s: not in the JSON report", e->lab);
		return;
	}
	if (!e->all_labs && nlabs != 1)
		problem(p, "--lab %s: %zu labs in the report", e->lab, nlabs);
	json_array_foreach(json_object_get(root, "labs"), i, other) {
		if (other == lab)
			continue;
		json_int_t s = json_integer_value(json_object_get(other, "score"));
		json_int_t m = json_integer_value(json_object_get(other, "max_score"));
		if (s != m || m == 0)
			problem(p, "all labs: %s, untouched, got %lld/%lld",
				json_string_value(json_object_get(other, "id")), (long long)s,
				(long long)m);
	}
	long score = (long)json_integer_value(json_object_get(lab, "score"));
	long max = (long)json_integer_value(json_object_get(lab, "max_score"));
	if (e->score != -1 && score != e->score)
		problem(p, "score %ld: the lab got %ld/%ld", e->score, score, max);
	if (e->below != -1 && score >= e->below)
		problem(p, "below %ld: the lab got %ld/%ld", e->below, score, max);
	if (e->lost != -1 && max - score != e->lost)
		problem(p, "lost %ld: the lab got %ld/%ld", e->lost, score, max);
	json_t *built = json_object_get(lab, "built");
	if (e->built != -1 && (!json_is_boolean(built) || json_is_true(built) != e->built))
		problem(p, "built %s: the report says %s", e->built ? "yes" : "no",
			json_is_boolean(built) ? (json_is_true(built) ? "yes" : "no") : "nothing");
	for (size_t k = 0; k < e->fail.n; k++)
		judge_checks(p, lab, e->fail.v[k], false);
	for (size_t k = 0; k < e->pass.n; k++)
		judge_checks(p, lab, e->pass.v[k], true);
	for (size_t k = 0; k < e->says.n; k++) {
		char *want = expand(e->says.v[k], pl);
		if (strstr(text, want) == NULL)
			problem(p, "says \"%s\": not in the text report", want);
		free(want);
	}
	for (size_t k = 0; k < e->indented.n; k++)
		judge_indented(p, text, e->indented.v[k]);
}

/* `lacks TEXT`: in no report of the grading (text, JSON, a class record). */
static void judge_lacks(char **p, const struct expect *e, const struct places *pl,
			const char *report, const char *what)
{
	for (size_t k = 0; k < e->lacks.n; k++) {
		char *unwanted = expand(e->lacks.v[k], pl);
		if (strstr(report, unwanted) != NULL)
			problem(p, "lacks \"%s\": in the %s", unwanted, what);
		free(unwanted);
	}
}

/* ---- noleft: what the run uid still has ---------------------------------------------- */

/* Entries of dir (not below) owned by uid. */
static int owned_in(const char *dir, uid_t uid)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		n += e->d_name[0] != '.' && fstatat(dirfd(d), e->d_name, &st,
						       AT_SYMLINK_NOFOLLOW) == 0 && st.st_uid == uid;
	if (d != NULL)
		closedir(d);
	return n;
}

/* Processes (zombies too) with uid among their real, effective, saved and
 * file-system uids: how many, and the first max of their pids in pids. */
static int pids_owned(uid_t uid, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char path[300], *status;
		size_t len;
		unsigned id[4];
		if (number(e->d_name) <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		if ((status = read_file(path, 4096, &len)) == NULL)
			continue;	/* gone meanwhile */
		const char *line = strstr(status, "\nUid:");
		if (line != NULL && sscanf(line, "\nUid: %u %u %u %u", &id[0], &id[1], &id[2],
					   &id[3]) == 4 &&
		    (id[0] == uid || id[1] == uid || id[2] == uid || id[3] == uid)) {
			if (n < max)
				pids[n] = (pid_t)number(e->d_name);
			n++;
		}
		free(status);
	}
	if (d != NULL)
		closedir(d);
	return n;
}

static int processes_owned(uid_t uid)
{
	return pids_owned(uid, NULL, 0);
}

/* SysV objects of one kind whose owner or creator is uid, as
 * /proc/sysvipc/KIND lists them (its header names the columns). */
static int ipc_owned(const char *kind, uid_t uid)
{
	char *path = xasprintf("/proc/sysvipc/%s", kind), *text;
	size_t len;
	int n = 0, col_uid = -1, col_cuid = -1;

	text = read_file(path, 4 << 20, &len);
	free(path);
	if (text == NULL)
		return 0;
	bool header = true;
	for (char *save, *line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save), header = false) {
		int col = 0;
		bool mine = false;
		for (char *s2, *w = strtok_r(line, " \t", &s2); w != NULL;
		     w = strtok_r(NULL, " \t", &s2), col++) {
			if (header && strcmp(w, "uid") == 0)
				col_uid = col;
			else if (header && strcmp(w, "cuid") == 0)
				col_cuid = col;
			else if (!header && (col == col_uid || col == col_cuid))
				mine |= number(w) == (long)uid;
		}
		n += mine;
	}
	free(text);
	return n;
}

/* Takes the grader's own lock on uid (sandbox.c: LOCK_DIR/uid-N.lock), so
 * that no grading starts to use the uid while its leftovers are counted;
 * waits up to a minute for one that holds it now.  -1: no lock file. */
static int hold_uid(uid_t uid)
{
	char path[64];

	snprintf(path, sizeof(path), "/run/mmaplab/uid-%u.lock", (unsigned)uid);
	int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	for (int i = 0; fd != -1 && i < 1200 && flock(fd, LOCK_EX | LOCK_NB) == -1; i++)
		usleep(50000);
	return fd;
}

/* What uid still has, as judge_noleft() says it; "" if nothing.  Waits a
 * moment for zombies that init has still to reap. */
static char *leftovers_of(uid_t uid)
{
	int procs;

	for (int i = 0; (procs = processes_owned(uid)) > 0 && i < 20; i++)
		usleep(50000);
	int shm = owned_in("/dev/shm", uid);
	int ipc = ipc_owned("shm", uid) + ipc_owned("sem", uid) + ipc_owned("msg", uid);
	int tmp = owned_in("/tmp", uid) + owned_in("/var/tmp", uid);
	if (procs + shm + ipc + tmp == 0)
		return xstrdup("");
	return xasprintf("uid %u still has %d processes, %d /dev/shm files, %d SysV IPC objects "
			 "and %d files in /tmp or /var/tmp", (unsigned)uid, procs, shm, ipc, tmp);
}

/* ---- noleft as an ordinary user: the runs had the user's own uid --------------- */

/* What the user's uid has: its processes (the first 1024), and its
 * /dev/shm files, SysV objects and files in /tmp and /var/tmp. */
struct user_state {
	pid_t pid[1024];
	int npid, shm, ipc, tmp;
};
static struct user_state user_before;

static void user_state(struct user_state *s)
{
	uid_t uid = getuid();

	s->npid = pids_owned(uid, s->pid, 1024);
	s->shm = owned_in("/dev/shm", uid);
	s->ipc = ipc_owned("shm", uid) + ipc_owned("sem", uid) + ipc_owned("msg", uid);
	s->tmp = owned_in("/tmp", uid) + owned_in("/var/tmp", uid);
}

/* Processes of now that were not there before (nor are this one). */
static int new_processes(const struct user_state *now, const struct user_state *before)
{
	int n = 0;

	for (int i = 0; i < now->npid && i < 1024; i++) {
		bool old = now->pid[i] == getpid();
		for (int k = 0; k < before->npid && k < 1024 && !old; k++)
			old = before->pid[k] == now->pid[i];
		n += !old;
	}
	return n;
}

/* Before a case's gradings, as an ordinary user: what the uid has already. */
static void user_note(void)
{
	if (geteuid() != 0)
		user_state(&user_before);
}

/* `noleft` as an ordinary user: the user's uid has no process, /dev/shm
 * file, SysV object or temporary file more than before the gradings. */
static void judge_noleft_user(char **p, const char *who)
{
	struct user_state now;
	int procs;

	/* Processes on their way out (on a very busy machine they may take a
	 * few seconds to be gone): 5 s at most. */
	for (int i = 0;; i++) {
		user_state(&now);
		if ((procs = new_processes(&now, &user_before)) == 0 || i == 100)
			break;
		usleep(50000);
	}
	if (procs + (now.shm - user_before.shm) + (now.ipc - user_before.ipc) +
	    (now.tmp - user_before.tmp) > 0)
		problem(p, "noleft: after the %s, uid %u has %d new processes, %d more /dev/shm "
			"files, %d more SysV IPC objects and %d more files in /tmp or /var/tmp", who,
			(unsigned)getuid(), procs, now.shm - user_before.shm,
			now.ipc - user_before.ipc, now.tmp - user_before.tmp);
}

/* `noleft`: the uid the sandbox description names ("own uid N") has no
 * process, /dev/shm file, SysV object or file in /tmp or /var/tmp left. */
static void judge_noleft(char **p, const char *who, const char *sandbox)
{
	const char *s = sandbox != NULL ? strstr(sandbox, "own uid ") : NULL;
	long uid = s != NULL ? strtol(s + 8, NULL, 10) : -1;

	if (geteuid() != 0) {
		judge_noleft_user(p, who);
		return;
	}
	if (uid <= 0) {
		problem(p, "noleft: the %s names no own uid (the hostile corpus runs as root)", who);
		return;
	}
	int lock = hold_uid((uid_t)uid);
	char *left = leftovers_of((uid_t)uid);
	if (lock != -1)
		close(lock);
	if (*left != '\0')
		problem(p, "noleft: after the %s, %s", who, left);
	free(left);
}

/* The text report's "sandbox: ..." line (before anything a program printed). */
static const char *text_sandbox(const char *text)
{
	const char *line = strstr(text, "\nsandbox: ");

	return line != NULL ? line + 1 : NULL;
}

/* ---- a case ----------------------------------------------------------------------- */

/* Lays the case over the submission; false with a message if the case's
 * folder is not made of lab folders and `expect`. */
static bool lay_over(const char *casedir, const char *submission, const struct expect *e,
		     const struct places *pl, char *err, size_t size)
{
	size_t n;
	long changed = 0;
	char **labs = names_in(casedir, true, &n), **files = names_in(casedir, false, &n);
	bool ok = true;

	for (char **f = files; *f != NULL && ok; f++)
		if (strcmp(*f, "expect") != 0) {
			snprintf(err, size, "%s: a stray file (lab files go in lab folders)", *f);
			ok = false;
		}
	for (char **l = labs; *l != NULL && ok; l++) {
		char *sol = xasprintf("%s/%s", solutions_dir, *l);
		char *from = xasprintf("%s/%s", casedir, *l), *to = xasprintf("%s/%s", submission, *l);
		long c = -1;
		if (!is_dir(sol))
			snprintf(err, size, "%s: no such lab in %s", *l, solutions_dir);
		else
			c = copy_tree(from, to, pl, err, size);
		ok = c >= 0;
		changed += ok ? c : 0;
		free(sol);
		free(from);
		free(to);
	}
	for (size_t i = 0; i < e->remove.n && ok; i++) {
		const char *r = e->remove.v[i];
		char *path = xasprintf("%s/%s", submission, r);
		if (*r == '/' || strstr(r, "..") != NULL || unlink(path) == -1) {
			snprintf(err, size, "remove %s: not a file of the submission", r);
			ok = false;
		}
		changed++;
		free(path);
	}
	if (ok && changed == 0 && e->students.n == 0) {
		snprintf(err, size, "no changed file and nothing removed: that is solutions/");
		ok = false;
	}
	free_names(labs);
	free_names(files);
	return ok;
}

/* Reads and parses corpus_dir/name/expect; false with a message in err. */
static bool load_expect(const char *name, struct expect *e, char *err, size_t size)
{
	char *path = xasprintf("%s/%s/expect", corpus_dir, name);
	size_t len;
	char *text = read_file(path, MAX_FILE, &len), why[400] = "";
	bool ok = false;

	memset(e, 0, sizeof(*e));
	if (text == NULL)
		snprintf(err, size, "%s: no expect file: %s", name, strerror(errno));
	else if (strlen(text) != len)
		snprintf(err, size, "%s/expect: a NUL byte", name);
	else if (!(ok = parse_expect(text, e, why, sizeof(why))))
		snprintf(err, size, "%s/expect: %s", name, why);
	free(text);
	free(path);
	return ok;
}

/* A submission folder: solutions/, the first `planted` canaries, and the
 * case (if any). */
static bool make_submission(const char *dir, const char *casename, const struct expect *e,
			    const struct places *pl, size_t planted, char *err, size_t size)
{
	if (copy_tree(solutions_dir, dir, NULL, err, size) <= 0)
		return false;
	plant_canaries(dir, 0, planted);
	if (casename == NULL)
		return true;
	char *casedir = xasprintf("%s/%s", corpus_dir, casename);
	bool ok = lay_over(casedir, dir, e, pl, err, size);
	free(casedir);
	return ok;
}

/* Adds the problems in `mine` to *p, each behind "[LAYER] " if the layer
 * was named; frees mine. */
static void add_tagged(char **p, const char *layer, char *mine)
{
	for (char *save, *line = strtok_r(mine, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		problem(p, "%s%s%s%s", layer ? "[" : "", layer ? layer : "", layer ? "] " : "",
			line + 2);
	free(mine);
}

/* The layers a case is graded under: those its expect names, as root; as an
 * ordinary user its default alone (NULL), the one that user gets. */
static size_t layers_run(const struct expect *e)
{
	return geteuid() == 0 && e->layers.n > 0 ? e->layers.n : 1;
}

static const char *layer_at(const struct expect *e, size_t i)
{
	return geteuid() == 0 && e->layers.n > 0 ? e->layers.v[i] : NULL;
}

/* The JSON and the text grading of one layer, judged together. */
static void judge_pair(char **p, const struct expect *e, const struct places *pl,
		       const struct grading *json, const struct grading *txt)
{
	json_error_t jerr;
	json_t *root = json_loads(json->report, 0, &jerr);

	if (root == NULL) {
		problem(p, "%s grading: the JSON report does not parse: %s (line %d)", json->tag,
			jerr.text, jerr.line);
		return;
	}
	int score = (int)json_integer_value(json_object_get(root, "score"));
	int max = (int)json_integer_value(json_object_get(root, "max_score"));
	int tscore, tmax;
	if (!text_score(txt->report, &tscore, &tmax))
		problem(p, "%s grading: the text report does not end with a line \"Score: A/B\"",
			txt->tag);
	else if (tscore != score || tmax != max)
		problem(p, "%s grading says %d/%d, the %s one %d/%d: the same --seed must give "
			"the same verdict", txt->tag, tscore, tmax, json->tag, score, max);
	judge_grading(p, json, score == max ? 0 : 1);
	judge_grading(p, txt, score == max ? 0 : 1);
	judge_terminal_safe(p, txt);
	judge_report(p, e, pl, root, txt->report);
	judge_lacks(p, e, pl, txt->report, "text report");
	judge_lacks(p, e, pl, json->report, "JSON report");
	if (e->noleft) {
		judge_noleft(p, "JSON report", json_string_value(json_object_get(root, "sandbox")));
		judge_noleft(p, "text report", text_sandbox(txt->report));
	}
	const struct grading *both[] = { json, txt };
	for (size_t i = 0; i < 2 && e->within != -1; i++)
		if (both[i]->wall >= (double)e->within)
			problem(p, "within %ld: the %s grading took %.1f s", e->within, both[i]->tag,
				both[i]->wall);
	json_decref(root);
}

/* Grades the submission as JSON and as text under each layer, all at once. */
static void grade_single(char **p, const struct expect *e, const struct places *pl,
			 bool *shown)
{
	struct grading g[2 * MAX_LAYERS];
	size_t n = 2 * layers_run(e);
	char err[512] = "";
	bool ran[2 * MAX_LAYERS];

	memset(g, 0, sizeof(g));
	for (size_t i = 0; i < n; i++) {
		g[i].format = i % 2 == 0 ? "json" : "text";
		g[i].layer = layer_at(e, i / 2);
		start(&g[i], pl->tmp, single_args(e, g[i].format, e->seed, pl->submission));
	}
	for (size_t i = 0; i < n; i++)
		if (!(ran[i] = collect(&g[i], err, sizeof(err))))
			problem(p, "%s", err);
	for (size_t i = 0; i < n; i += 2) {
		char *mine = xstrdup("");
		if (ran[i] && ran[i + 1])
			judge_pair(&mine, e, pl, &g[i], &g[i + 1]);
		if (*mine != '\0' && ran[i + 1] && !*shown) {
			fprintf(stderr, "---- the %s report%s%s\n%.12000s---- end\n", g[i + 1].tag,
				*g[i + 1].err ? ", and the grader's stderr:\n" : "", g[i + 1].err,
				g[i + 1].report);
			*shown = true;
		}
		add_tagged(p, g[i].layer, mine);
	}
	for (size_t i = 0; i < n; i++)
		grading_free(&g[i]);
}

/* One student of a class: its record, judged; a solution's score besides. */
static void judge_student(char **p, const struct expect *e, const struct places *pl,
			  const char *out, const char *id, bool solution, json_t **first_solution)
{
	char *path = xasprintf("%s/students/%s.json", out, id);
	size_t len;
	char *text = read_file(path, MAX_FILE, &len);
	json_t *rec = text != NULL ? json_loads(text, 0, NULL) : NULL;
	char *what = xasprintf("record of %s", id);

	if (rec == NULL) {
		problem(p, "%s: not graded (%s missing or not JSON)", id, path);
	} else {
		int score = (int)json_integer_value(json_object_get(rec, "score"));
		int max = (int)json_integer_value(json_object_get(rec, "max_score"));
		if (solution && (score != max || max == 0))
			problem(p, "%s (solutions/): %d/%d, not full marks", id, score, max);
		if (solution && *first_solution == NULL)
			*first_solution = json_incref(rec);
		judge_lacks(p, e, pl, text, what);
		if (e->noleft)
			judge_noleft(p, what, json_string_value(json_object_get(rec, "sandbox")));
	}
	json_decref(rec);
	free(what);
	free(text);
	free(path);
}

/* The student ids of a class: NN-CASE, in the order of the `student` lines. */
static char **class_ids(const struct expect *e)
{
	char **ids = xcalloc(e->students.n + 1, sizeof(*ids));

	for (size_t i = 0; i < e->students.n; i++)
		ids[i] = xasprintf("%02zu-%s", i + 1, e->students.v[i]);
	return ids;
}

/* A folder per `student`: solutions/ with that case laid over it, where
 * @SUBMISSION@ is the student's folder and @PEER@ the next student's. */
static void make_class(char **p, const struct expect *e, const struct places *pl)
{
	char err[512] = "";
	char **ids = class_ids(e);

	for (size_t i = 0; i < e->students.n; i++) {
		const char *name = e->students.v[i];
		char *dir = xasprintf("%s/%s", pl->class, ids[i]);
		char *peer = xasprintf("%s/%s", pl->class, ids[(i + 1) % e->students.n]);
		struct places mine = { pl->tmp, pl->class, peer, dir };
		struct expect se = { 0 };
		bool solution = strcmp(name, "solutions") == 0;
		if (!solution && !load_expect(name, &se, err, sizeof(err)))
			problem(p, "student %s: %s", name, err);
		else if (!make_submission(dir, solution ? NULL : name, &se, &mine, ALL_CANARIES, err,
					 sizeof(err)))
			problem(p, "student %s: %s", name, err);
		expect_free(&se);
		free(peer);
		free(dir);
	}
	free_names(ids);
}

/* A solutions/ student of the class graded alone, with the seed the class
 * gave it: the same score as in the class. */
static void judge_alone(char **p, const struct expect *e, const struct places *pl,
			json_t *record, const char *layer)
{
	struct grading one = { .format = "json", .layer = layer };
	char err[512] = "";
	char *dir = xasprintf("%s/%s", pl->class,
			      json_string_value(json_object_get(record, "student")));
	unsigned seed = (unsigned)json_integer_value(json_object_get(record, "seed"));

	start(&one, pl->tmp, single_args(e, "json", seed, dir));
	json_t *alone = collect(&one, err, sizeof(err)) ? json_loads(one.report, 0, NULL) : NULL;
	json_int_t a = json_integer_value(json_object_get(alone, "score"));
	json_int_t c = json_integer_value(json_object_get(record, "score"));
	if (alone == NULL)
		problem(p, "a solutions/ student alone: no JSON report %s", err);
	else if (a != c)
		problem(p, "a solutions/ student: %lld in the class, %lld alone", (long long)c,
			(long long)a);
	json_decref(alone);
	grading_free(&one);
	free(dir);
}

/* Grades the class made by make_class() with --class under each layer. */
static void grade_class(char **p, const struct expect *e, const struct places *pl,
			bool *shown)
{
	char **ids = class_ids(e);

	for (size_t l = 0; l < layers_run(e); l++) {
		struct grading g = { .format = "class", .layer = layer_at(e, l) };
		char seed[16], jobs[24], err[512] = "";
		char *out = xasprintf("%s/out-%s", pl->tmp, g.layer ? g.layer : "default");
		char *mine = xstrdup("");
		snprintf(seed, sizeof(seed), "%u", e->seed);
		snprintf(jobs, sizeof(jobs), "%ld", e->jobs > 0 ? e->jobs : DEFAULT_JOBS);
		start(&g, pl->tmp, (const char *[]){ "--class", pl->class, "--jobs", jobs, "--out",
						     out, "--seed", seed, "--lab", e->lab, NULL });
		if (!collect(&g, err, sizeof(err))) {
			problem(&mine, "%s", err);
		} else {
			judge_grading(&mine, &g, 0);
			if (e->within != -1 && g.wall >= (double)e->within)
				problem(&mine, "within %ld: the class took %.1f s", e->within, g.wall);
			json_t *first = NULL;
			for (size_t i = 0; i < e->students.n; i++)
				judge_student(&mine, e, pl, out, ids[i],
					      strcmp(e->students.v[i], "solutions") == 0, &first);
			if (first != NULL)
				judge_alone(&mine, e, pl, first, g.layer);
			json_decref(first);
			if (*mine != '\0' && !*shown) {
				fprintf(stderr, "---- the %s grading's output\n%s%s---- end\n", g.tag,
					g.report, g.err);
				*shown = true;
			}
		}
		add_tagged(p, g.layer, mine);
		grading_free(&g);
		free(out);
	}
	free_names(ids);
}

START_TEST(test_case)
{
	const char *name = cases[_i];
	bool shown = false;	/* one report on stderr per case is enough */
	char err[512] = "";
	struct expect e;

	ck_assert_msg(load_expect(name, &e, err, sizeof(err)), "%s", err);
	if (e.root_only != NULL && geteuid() != 0) {	/* said, never silent */
		fprintf(stderr, "test_corpus: %s: NOT GRADED as uid %d: %s\n", name,
			(int)geteuid(), e.root_only);
		expect_free(&e);
		return;
	}
	char *labdir = xasprintf("%s/%s", solutions_dir, e.lab);
	ck_assert_msg(is_dir(labdir), "%s/expect: lab %s: no such lab in %s", name, e.lab,
		      solutions_dir);

	/* Searchable by all: run as root, the grader's sandbox has a uid of its own.
	 * Beside the submission: a classmate's folder (README.md). */
	char *tmp = make_temp_dir(NULL, "corpus");
	if (chmod(tmp, 0755) == -1)
		die_errno("chmod %s", tmp);
	char *submission = xasprintf("%s/submission", tmp), *peer = xasprintf("%s/peer", tmp);
	char *classdir = xasprintf("%s/class", tmp);
	bool class = e.students.n > 0;
	struct places pl = { tmp, class ? classdir : tmp, peer, class ? classdir : submission };
	plant_canaries(peer, OWN_CANARIES, ALL_CANARIES);
	if (class && mkdir(classdir, 0755) == -1)
		die_errno("mkdir %s", classdir);
	if (!class && !make_submission(submission, name, &e, &pl, OWN_CANARIES, err,
					 sizeof(err))) {
		remove_tree(tmp);
		ck_abort_msg("%s: %s", name, err);
	}
	size_t nwatch = e.untouched.n + 2;
	char **watch = xcalloc(nwatch, sizeof(*watch)), **before = xcalloc(nwatch, sizeof(*before));
	for (size_t i = 0; i < e.untouched.n; i++)
		watch[i] = expand(e.untouched.v[i], &pl);
	watch[nwatch - 2] = xstrdup(peer);
	watch[nwatch - 1] = xstrdup(class ? classdir : submission);

	char *problems = xstrdup("");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (class)
		make_class(&problems, &e, &pl);
	for (size_t i = 0; i < nwatch; i++)
		before[i] = snapshot(watch[i]);
	user_note();
	if (class && *problems == '\0')
		grade_class(&problems, &e, &pl, &shown);
	else if (!class)
		grade_single(&problems, &e, &pl, &shown);
	for (size_t i = 0; i < nwatch; i++) {
		char *after = snapshot(watch[i]);
		if (strcmp(before[i], after) != 0)
			problem(&problems, "%s: changed by the grading", watch[i]);
		free(after);
		free(before[i]);
		free(watch[i]);
	}
	free(watch);
	free(before);
	if (remove_tree(tmp) == -1)
		die_errno("cannot remove %s", tmp);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("test_corpus: %s: %.1f s\n", name, (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
	if (*problems != '\0')
		ck_abort_msg("%s (%s): not the verdict its expect asks for:\n%.2500s", name, e.why,
			     problems);
	free(problems);
	free(submission);
	free(peer);
	free(classdir);
	free(tmp);
	free(labdir);
	expect_free(&e);
}
END_TEST

/* ---- the parser itself: a malformed expect file must not pass --------------------- */

static const struct {
	const char *text, *error;	/* error NULL: it parses */
} samples[] = {
	{ "# why: x\nlab 02-fork-sharing\nfail random run\nsays MAP_PRIVATE\n", NULL },
	{ "# why: x\nlab 02-fork-sharing\nall labs\nbuilt no\nscore 0\nseed 7\n", NULL },
	{ "# why: x\n\n# a comment\nlab 01-file-mapping\nbelow 3", NULL },
	{ "", "line 1" },
	{ "lab 02-fork-sharing\nfail x\n", "line 1" },
	{ "# why:\nlab 02-fork-sharing\nfail x\n", "line 1" },
	{ "# why: x\nfail x\n", "no \"lab" },
	{ "# why: x\nlab 02-fork-sharing\n", "nothing to assert" },
	{ "# why: x\nlab 02-fork-sharing\n# fail x\n", "nothing to assert" },
	{ "# why: x\nlab 02-fork-sharing\nlab 01-file-mapping\nfail x\n", "line 3" },
	{ "# why: x\nlab fork-sharing\nfail x\n", "line 2" },
	{ "# why: x\nlab 02-fork-sharing\nfails x\n", "line 3: unknown" },
	{ "# why: x\nlab 02-fork-sharing\nsays\n", "line 3" },
	{ "# why: x\nlab 02-fork-sharing\nsays \n", "line 3" },
	{ "# why: x\nlab 02-fork-sharing\nsays x \n", "trailing white space" },
	{ "# why: x\r\nlab 02-fork-sharing\r\nsays x\r\n", "trailing white space" },
	{ "# why: x\nlab 02-fork-sharing\nscore twelve\n", "line 3" },
	{ "# why: x\nlab 02-fork-sharing\nscore -1\n", "line 3" },
	{ "# why: x\nlab 02-fork-sharing\nscore 3\nscore 4\n", "line 4" },
	{ "# why: x\nlab 02-fork-sharing\nscore 3\nbelow 4\n", "together" },
	{ "# why: x\nlab 02-fork-sharing\nlost 0\nscore 4\n", "together" },
	{ "# why: x\nlab 02-fork-sharing\nlost 0\n", NULL },
	{ "# why: x\nlab 02-fork-sharing\nbuilt maybe\n", "line 3" },
	{ "# why: x\nlab 02-fork-sharing\nFAIL x\n", "unknown" },
	{ "# why: x\nlab 02-fork-sharing\nall  labs\nfail x\n", "line 3" },
	{ "# why: x\nlab 01-file-mapping\nnoleft\n", NULL },
	{ "# why: x\nlab 01-file-mapping\nsandbox posix\nsandbox posix\nnoleft\n", "line 4" },
	{ "# why: x\nlab 01-file-mapping\nsandbox docker\nnoleft\n", "line 3" },
	{ "# why: x\nlab 01-file-mapping\nuntouched tmp/x\n", "line 3" },
	{ "# why: x\nlab 01-file-mapping\nwithin 0\n", "line 3" },
	{ "# why: x\nlab 01-file-mapping\nstudent solutions\nsays x\n", "a class" },
	{ "# why: x\nlab 01-file-mapping\njobs 2\nnoleft\n", "jobs without" },
	{ "# why: x\nlab 01-file-mapping\nstudent solutions\nstudent fork-bomb\njobs 3\n"
	  "within 60\nsandbox posix\nsandbox auto\n", NULL },
	{ "# why: x\nlab 01-file-mapping\nindented Score: 9/9\nuntouched @PEER@/x\n", NULL },
};

START_TEST(test_parser)
{
	struct expect e;
	char err[256] = "";
	bool ok = parse_expect(samples[_i].text, &e, err, sizeof(err));

	if (samples[_i].error == NULL)
		ck_assert_msg(ok, "sample %d: refused: %s", _i, err);
	else
		ck_assert_msg(!ok && strstr(err, samples[_i].error) != NULL,
			      "sample %d: %s, where \"%s\" was wanted", _i,
			      ok ? "accepted" : err, samples[_i].error);
	if (_i == 1)
		ck_assert(e.all_labs && e.built == 0 && e.score == 0 && e.seed == 7);
	if (strstr(samples[_i].text, "student fork-bomb") != NULL)
		ck_assert(e.students.n == 2 && strcmp(e.students.v[1], "fork-bomb") == 0 &&
			  e.jobs == 3 && e.within == 60 && e.layers.n == 2 && !e.noleft);
	if (strstr(samples[_i].text, "indented") != NULL)
		ck_assert(e.indented.n == 1 && strcmp(e.indented.v[0], "Score: 9/9") == 0 &&
			  e.untouched.n == 1 && strcmp(e.untouched.v[0], "@PEER@/x") == 0);
	if (strstr(samples[_i].text, "\nnoleft\n") != NULL && samples[_i].error == NULL)
		ck_assert(e.noleft && !e.all_labs);
	if (_i == 0)
		ck_assert(e.fail.n == 1 && strcmp(e.fail.v[0], "random run") == 0 &&
			  e.says.n == 1 && strcmp(e.lab, "02-fork-sharing") == 0 &&
			  strcmp(e.why, "x") == 0 && e.seed == DEFAULT_SEED);
	expect_free(&e);
}
END_TEST

/* ---- the runner's own judges: each must be able to fail ------------------------------ */

START_TEST(test_judges)
{
	char *p = xstrdup("");
	struct places pl = { "/t", "/t/class", "/t/peer", "/t/sub" };
	char *x = expand("@PEER@/a @CLASS@@SUBMISSION@ @TMP@ @NONE@", &pl);

	ck_assert_str_eq(x, "/t/peer/a /t/class/t/sub /t @NONE@");
	free(x);
	judge_indented(&p, "  PASS  x  (1/1)\n      seen:     Score: 9/9\n", "Score: 9/9");
	ck_assert_str_eq(p, "");
	judge_indented(&p, "      seen:     x\nScore: 9/9\n", "Score: 9/9");
	ck_assert_ptr_nonnull(strstr(p, "on a line of the report's own: Score: 9/9"));
	judge_indented(&p, "nothing\n", "Score: 9/9");
	ck_assert_ptr_nonnull(strstr(p, "not in the text report"));
	free(p);

	static const struct {
		const char *report, *problem;
	} texts[] = {
		{ "plain\ttext \xe6\x98\xa0\xe5\xb0\x84\n", NULL },
		{ "a\x1b[2Jb\n", "control byte 0x1b" },
		{ "csi \xc2\x9b" "31m\n", "control byte 0x9b" },
		{ "cr\r\n", "control byte 0xd" },
		{ "bad \xff\n", "not UTF-8" },
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct grading g = { .tag = "text", .report = (char *)texts[i].report };
		p = xstrdup("");
		judge_terminal_safe(&p, &g);
		if (texts[i].problem == NULL)
			ck_assert_msg(*p == '\0', "text %zu: %s", i, p);
		else
			ck_assert_msg(strstr(p, texts[i].problem) != NULL, "text %zu: \"%s\"", i, p);
		free(p);
	}
	p = xstrdup("");
	judge_noleft(&p, "report", "posix, rlimits, own session");
	if (geteuid() == 0)	/* as anybody else the runs have the user's uid */
		ck_assert_ptr_nonnull(strstr(p, "names no own uid"));
	free(p);
}
END_TEST

/* Files this test made for uid in a run that died before removing them: only
 * this test names files "mmaplab-leftover-*", and it holds uid's lock, so no
 * one else's are touched.  Without this, one killed run fails every later one. */
static void remove_own_debris(uid_t uid)
{
	static const char *const dirs[] = { "/dev/shm", "/tmp" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *e;
		while (d != NULL && (e = readdir(d)) != NULL) {
			struct stat st;
			if (strncmp(e->d_name, "mmaplab-leftover-", 17) != 0 ||
			    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
			    !S_ISREG(st.st_mode) || st.st_uid != uid)
				continue;
			unlinkat(dirfd(d), e->d_name, 0);
		}
		if (d != NULL)
			closedir(d);
	}
}

/* As root: a uid of the grader's range, reserved through its lock files,
 * given a sleeping process, a /dev/shm file, a SysV segment and a /tmp file:
 * leftovers_of() must count each, and nothing once they are gone. */
START_TEST(test_leftovers_seen)
{
	uid_t uid = 0;
	int lock = -1;

	if (mkdir("/run/mmaplab", 0700) == -1 && errno != EEXIST)
		ck_abort_msg("mkdir /run/mmaplab: %s", strerror(errno));
	for (uid_t u = 2000999; u >= 2000000 && lock == -1; u--) {
		char path[64];
		snprintf(path, sizeof(path), "/run/mmaplab/uid-%u.lock", (unsigned)u);
		if ((lock = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) != -1 &&
		    flock(lock, LOCK_EX | LOCK_NB) == -1) {
			close(lock);
			lock = -1;
		}
		uid = u;
	}
	ck_assert_msg(lock != -1, "no free uid in /run/mmaplab (has bin/grade run as root?)");
	remove_own_debris(uid);
	char *before = leftovers_of(uid);
	ck_assert_msg(*before == '\0', "uid %u: %s before the test", (unsigned)uid, before);
	free(before);

	/* Everything that may fail first: no process of uid is left if it does. */
	char shm[64], tmp[] = "/tmp/mmaplab-leftover-XXXXXX";
	snprintf(shm, sizeof(shm), "/dev/shm/mmaplab-leftover-%d", (int)getpid());
	int fd = open(shm, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ck_assert(fd != -1 && fchown(fd, uid, uid) == 0 && close(fd) == 0);
	fd = mkstemp(tmp);
	ck_assert(fd != -1 && fchown(fd, uid, uid) == 0 && close(fd) == 0);
	int seg = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	struct shmid_ds ds;
	ck_assert(seg != -1 && shmctl(seg, IPC_STAT, &ds) == 0);
	ds.shm_perm.uid = uid;
	ck_assert(shmctl(seg, IPC_SET, &ds) == 0);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) == 0 && setresgid(uid, uid, uid) == 0 &&
		    setresuid(uid, uid, uid) == 0 && getuid() == uid)
			pause();
		_exit(1);
	}
	for (int i = 0; pid > 0 && i < 200 && processes_owned(uid) == 0; i++)
		usleep(5000);

	char *seen = leftovers_of(uid);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	unlink(shm);
	unlink(tmp);
	shmctl(seg, IPC_RMID, NULL);
	char *after = leftovers_of(uid);
	close(lock);
	ck_assert_msg(strstr(seen, "1 processes, 1 /dev/shm files, 1 SysV IPC objects and 1 files")
		      != NULL, "uid %u: \"%s\"", (unsigned)uid, seen);
	ck_assert_msg(*after == '\0', "uid %u after: %s", (unsigned)uid, after);
	free(seen);
	free(after);
}
END_TEST

static char *absolute(const char *path)
{
	char *abs = realpath(path, NULL);

	if (abs == NULL)
		die_errno("%s", path);
	return abs;
}

int main(int argc, char *argv[])
{
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: test_corpus [CORPUS_DIR]\n");
		return 2;
	}
	const char *grade = getenv("GRADE"), *solutions = getenv("SOLUTIONS");
	corpus_dir = absolute(argc == 2 ? argv[1] : "harness/tests/corpus");
	grade_path = absolute(grade && *grade ? grade : "bin/grade");
	solutions_dir = absolute(solutions && *solutions ? solutions : "solutions");
	cases = names_in(corpus_dir, true, &ncases);
	if (ncases == 0) {
		fprintf(stderr, "test_corpus: no case in %s\n", corpus_dir);
		return 1;
	}

	Suite *s = suite_create("corpus");
	TCase *parser = tcase_create("expect");
	tcase_add_loop_test(parser, test_parser, 0, (int)(sizeof(samples) / sizeof(samples[0])));
	/* judge_noleft_user waits up to 5 s for processes on their way out */
	tcase_set_timeout(parser, 60);
	tcase_add_test(parser, test_judges);
	/* It takes a uid of the grader's, which only root can become. */
	if (geteuid() == 0)
		tcase_add_test(parser, test_leftovers_seen);
	suite_add_tcase(s, parser);
	TCase *tc = tcase_create("cases");
	tcase_set_timeout(tc, 300);	/* a case with a time limit waits 5 s per run */
	tcase_add_loop_test(tc, test_case, 0, (int)ncases);
	suite_add_tcase(s, tc);

	printf("test_corpus: %zu cases in %s\n", ncases, corpus_dir);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free_names(cases);
	return failed == 0 ? 0 : 1;
}
