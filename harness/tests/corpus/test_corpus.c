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
#include <jansson.h>
#include <sys/file.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "sys.h"

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

/* What a hostile program must never get at (README.md): planted at the top
 * of every submission folder, beside its labs, where no build looks. */
static const struct {
	const char *name, *text;
	mode_t mode;
} canaries[] = {
	{ ".notes", "notes-secret-9a4b\n", 0644 },
	{ "secret.h", "#define PEER_SECRET \"peer-secret-8c1f\"\n", 0644 },
	{ "private.txt", "root-only-secret-5e2d\n", 0600 },
};

static void plant_canaries(const char *dir)
{
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		die_errno("mkdir %s", dir);
	for (size_t i = 0; i < sizeof(canaries) / sizeof(canaries[0]); i++)
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
	const char *format;
	char *dir;		/* the grader's working directory and $TMPDIR */
	char *result;		/* the worker writes the report there */
	pid_t worker;
	/* after collect(): */
	enum run_end end;
	int code, leftover;
	char *report, *err;
};

static const struct run_limits grader_limits = {
	.wall_sec = 150, .cpu_sec = 120,	/* above the grader's own build limits */
	.keep_bytes = MAX_FILE, .kill_bytes = 8 * MAX_FILE,
	.nproc = 512, .fsize = 256 << 20, .as = 16UL << 30, .nofile = 1024,
};

static void start(struct grading *g, const char *tmp, const char *submission,
		  const struct expect *e)
{
	g->dir = xasprintf("%s/run-%s", tmp, g->format);
	g->result = xasprintf("%s/%s.result", tmp, g->format);
	if (mkdir(g->dir, 0755) == -1 || chmod(g->dir, 0755) == -1)
		die_errno("mkdir %s", g->dir);
	fflush(NULL);
	if ((g->worker = fork()) == -1)
		die_errno("fork");
	if (g->worker != 0)
		return;

	char seed[16];
	const char *argv[10];
	size_t n = 0;
	snprintf(seed, sizeof(seed), "%u", e->seed);
	argv[n++] = grade_path;
	argv[n++] = "--seed";
	argv[n++] = seed;
	argv[n++] = "--format";
	argv[n++] = g->format;
	if (!e->all_labs) {
		argv[n++] = "--lab";
		argv[n++] = e->lab;
	}
	argv[n++] = submission;
	argv[n] = NULL;
	struct run_spec spec = { .argv = argv, .dir = g->dir, .limits = grader_limits };
	struct run_result r;
	run_init();
	if (run_program(&spec, &r) == -1 || r.end == RUN_NOT_STARTED) {
		fprintf(stderr, "cannot run %s: %s\n", grade_path, r.error);
		_exit(3);
	}
	/* "END CODE LEFTOVER OUTBYTES ERRBYTES\n", stdout, stderr */
	FILE *f = fopen(g->result, "w");
	if (f == NULL || fprintf(f, "%d %d %d %zu %zu\n", (int)r.end, r.end == RUN_SIGNALED ?
				 r.sig : r.code, r.leftover, r.out.len, r.err.len) < 0 ||
	    fwrite(r.out.data, 1, r.out.len, f) != r.out.len ||
	    fwrite(r.err.data, 1, r.err.len, f) != r.err.len || fclose(f) != 0)
		_exit(3);
	_exit(r.out.total == r.out.len ? 0 : 4);
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
		snprintf(err, size, "the %s grading: worker ended with status %#x%s", g->format,
			 status, WEXITSTATUS(status) == 4 ? " (report over 1 MiB)" : "");
		return false;
	}
	if ((data = read_file(g->result, 3 * MAX_FILE, &len)) == NULL)
		die_errno("cannot read %s", g->result);
	if (sscanf(data, "%d %d %d %zu %zu\n%n", &end, &g->code, &g->leftover, &nout, &nerr,
		   &used) != 5 || used == 0 || (size_t)used + nout + nerr != len)
		die("%s: not what the worker writes", g->result);
	g->end = (enum run_end)end;
	g->report = xasprintf("%.*s", (int)nout, data + used);
	g->err = xasprintf("%.*s", (int)nerr, data + used + nout);
	free(data);
	return true;
}

static void grading_free(struct grading *g)
{
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

/* What SPEC §2 asks of every grading, whatever the case. */
static void judge_grading(char **p, const struct grading *g, int score, int max)
{
	char how[64];
	int want = score == max ? 0 : 1;

	if (g->end != RUN_EXITED) {
		struct run_result r = { .end = g->end, .sig = g->code };
		problem(p, "%s grading: the grader was %s", g->format,
			run_describe(&r, how, sizeof(how)));
	} else if (g->code != want) {
		problem(p, "%s grading: exit %d, but %d/%d means exit %d", g->format, g->code,
			score, max, want);
	}
	if (g->leftover != 0)
		problem(p, "%s grading: %d process(es) left behind", g->format, g->leftover);
	size_t n;
	char **left = names_in(g->dir, true, &n);
	char **files = names_in(g->dir, false, &n);
	if (left[0] != NULL || files[0] != NULL)
		problem(p, "%s grading: left in $TMPDIR: %s", g->format,
			left[0] != NULL ? left[0] : files[0]);
	free_names(left);
	free_names(files);
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

static void judge_report(char **p, const struct expect *e, json_t *root, const char *text)
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
	for (size_t k = 0; k < e->says.n; k++)
		if (strstr(text, e->says.v[k]) == NULL)
			problem(p, "says \"%s\": not in the text report", e->says.v[k]);
	for (size_t k = 0; k < e->lacks.n; k++)
		if (strstr(text, e->lacks.v[k]) != NULL)
			problem(p, "lacks \"%s\": in the text report", e->lacks.v[k]);
}

/* Lays the case over the submission; false with a message if the case's
 * folder is not made of lab folders and `expect`. */
static bool lay_over(const char *casedir, const char *submission, const struct expect *e,
		     char *err, size_t size)
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
			c = copy_tree(from, to, err, size);
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
	if (ok && changed == 0) {
		snprintf(err, size, "no changed file and nothing removed: that is solutions/");
		ok = false;
	}
	free_names(labs);
	free_names(files);
	return ok;
}

START_TEST(test_case)
{
	const char *name = cases[_i];
	char *casedir = xasprintf("%s/%s", corpus_dir, name);
	char *path = xasprintf("%s/expect", casedir);
	char err[512] = "";
	size_t len;
	char *text = read_file(path, MAX_FILE, &len);
	struct expect e;

	ck_assert_msg(text != NULL, "%s: no expect file: %s", name, strerror(errno));
	ck_assert_msg(strlen(text) == len, "%s/expect: a NUL byte", name);
	ck_assert_msg(parse_expect(text, &e, err, sizeof(err)), "%s/expect: %s", name, err);
	char *labdir = xasprintf("%s/%s", solutions_dir, e.lab);
	ck_assert_msg(is_dir(labdir), "%s/expect: lab %s: no such lab in %s", name, e.lab,
		      solutions_dir);

	/* Searchable by all: run as root, the grader's sandbox has a uid of its own. */
	char *tmp = make_temp_dir(NULL, "corpus");
	if (chmod(tmp, 0755) == -1)
		die_errno("chmod %s", tmp);
	char *submission = xasprintf("%s/submission", tmp);
	ck_assert_msg(copy_tree(solutions_dir, submission, err, sizeof(err)) > 0, "%s", err);
	if (!lay_over(casedir, submission, &e, err, sizeof(err))) {
		remove_tree(tmp);
		ck_abort_msg("%s: %s", name, err);
	}
	char *before = snapshot(submission);

	struct grading json = { .format = "json" }, txt = { .format = "text" };
	start(&json, tmp, submission, &e);
	start(&txt, tmp, submission, &e);
	bool ran = collect(&json, err, sizeof(err));
	ran = collect(&txt, err + strlen(err), sizeof(err) - strlen(err)) && ran;
	ck_assert_msg(ran, "%s: %s", name, err);

	char *problems = xstrdup("");
	char *after = snapshot(submission);
	if (strcmp(before, after) != 0)
		problem(&problems, "the grader changed the submission folder");
	json_error_t jerr;
	json_t *root = json_loads(json.report, 0, &jerr);
	if (root == NULL) {
		problem(&problems, "the JSON report does not parse: %s (line %d)", jerr.text,
			jerr.line);
	} else {
		int score = (int)json_integer_value(json_object_get(root, "score"));
		int max = (int)json_integer_value(json_object_get(root, "max_score"));
		int tscore, tmax;
		if (!text_score(txt.report, &tscore, &tmax))
			problem(&problems, "the text report does not end with a line \"Score: A/B\"");
		else if (tscore != score || tmax != max)
			problem(&problems, "the text grading says %d/%d, the JSON one %d/%d: the same "
				"--seed must give the same verdict", tscore, tmax, score, max);
		judge_grading(&problems, &json, score, max);
		judge_grading(&problems, &txt, score, max);
		judge_report(&problems, &e, root, txt.report);
		json_decref(root);
	}
	if (remove_tree(tmp) == -1)
		die_errno("cannot remove %s", tmp);
	if (*problems != '\0') {
		fprintf(stderr, "---- %s: the text report%s%s\n%s---- end of %s\n", name,
			*txt.err ? ", and the grader's stderr:\n" : "", txt.err, txt.report, name);
		ck_abort_msg("%s (%s): not the verdict its expect asks for:\n%.2500s", name, e.why,
			     problems);
	}
	free(problems);
	free(before);
	free(after);
	grading_free(&json);
	grading_free(&txt);
	free(submission);
	free(tmp);
	free(labdir);
	expect_free(&e);
	free(text);
	free(path);
	free(casedir);
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
	if (_i == 0)
		ck_assert(e.fail.n == 1 && strcmp(e.fail.v[0], "random run") == 0 &&
			  e.says.n == 1 && strcmp(e.lab, "02-fork-sharing") == 0 &&
			  strcmp(e.why, "x") == 0 && e.seed == DEFAULT_SEED);
	expect_free(&e);
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
