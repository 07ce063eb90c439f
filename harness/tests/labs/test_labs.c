/*
 * test_labs.c: runs the lab programs themselves against SPEC §1.
 *
 *   LAB_BIN=build/solutions test_labs              every behaviour of SPEC §1
 *   LAB_BIN=build/skeletons test_labs --skeleton   what a skeleton must do
 *
 * Programs are found at $LAB_BIN/NN-name/PROG.  Each test runs the real
 * binary through the run layer (run.h, with the default limits) in a fresh
 * temporary directory, which is also its $TMPDIR, and asserts stdout, stderr,
 * the exit status and the files left there.  stdout is always a pipe, so a
 * line printed twice because of a buffer copied at fork() is caught too.
 *
 * Random values come from a seeded PRNG: the seed is printed, and LAB_SEED=N
 * repeats a run.
 *
 * --skeleton asserts that each skeleton program, with default arguments,
 * exits normally, non-zero, with empty stdout and "not implemented" on
 * stderr, and that each one fails the solution's tests for its default and
 * random runs.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run/run.h"
#include "stu.h"
#include "run/sys.h"

enum prog { MMAP_HELLO, FORK_SHARE, ANON_SHARE, ZERO_SHARE, MMAP_W, MMAP_R, MMAP_CAT, SUM_READ,
	     SUM_MMAP, NPROGS };

static const struct {
	const char *lab, *name;
} progs[NPROGS] = {
	{ "01-file-mapping", "mmap_hello" },
	{ "02-fork-sharing", "fork_share" },
	{ "03-anonymous-mapping", "anon_share" },
	{ "03-anonymous-mapping", "zero_share" },
	{ "04-writer-reader", "mmap_w" },
	{ "04-writer-reader", "mmap_r" },
	{ "05-pitfalls", "mmap_cat" },
	{ "06-read-vs-mmap", "sum_read" },
	{ "06-read-vs-mmap", "sum_mmap" },
};

static char *prog_path[NPROGS];	/* absolute: programs run in another directory */
static uint64_t seed;
static char *work_dir;	/* every run directory is made in it; main removes it */

/* ---- random values ---------------------------------------------------------- */

/* splitmix64: tiny and good enough; one stream per test, from the seed and the
 * test's name, so a test draws the same values whatever else runs. */
struct rng {
	uint64_t s;
};

static struct rng rng_for(const char *test, int i)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a of the name */

	for (const char *c = test; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	return (struct rng){ seed ^ h ^ ((uint64_t)i << 32) };
}

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform enough in [lo, hi]. */
static long rnd_in(struct rng *r, long lo, long hi)
{
	return lo + (long)(rnd(r) % (uint64_t)(hi - lo + 1));
}

/* len characters from set; the result is the caller's to free. */
static char *rnd_str(struct rng *r, size_t len, const char *set)
{
	size_t n = strlen(set);
	char *s = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		s[i] = set[rnd(r) % n];
	s[len] = '\0';
	return s;
}

static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/* TEXT: printable, with the characters a careless printf would choke on. */
static const char printable[] = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%\\\"'!?.,;:_-=+*#@$&()[]{}<>~`^|/";

static char *rnd_int(struct rng *r)
{
	return xasprintf("%ld", rnd_in(r, 0, INT_MAX));
}

/* ---- running a program --------------------------------------------------------- */

struct outcome {
	enum prog p;
	struct run_result r;
	char cmd[512];		/* the command line, for messages */
	char how[128];		/* "exit 1", "killed by SIGBUS"... */
};

static void run_with(struct outcome *o, const char *dir, enum prog p,
		     const char *const *args, const struct run_limits *limits)
{
	const char *argv[16];
	size_t n = 0, len;

	o->p = p;
	argv[n++] = prog_path[p];
	len = (size_t)snprintf(o->cmd, sizeof(o->cmd), "%s", progs[p].name);
	for (; args[n - 1] != NULL; n++) {
		ck_assert(n < sizeof(argv) / sizeof(argv[0]) - 1);
		argv[n] = args[n - 1];
		if (len < sizeof(o->cmd))
			len += (size_t)snprintf(o->cmd + len, sizeof(o->cmd) - len, " '%s'", argv[n]);
	}
	argv[n] = NULL;

	struct run_spec spec = { .argv = argv, .env = NULL, .dir = dir, .limits = *limits };
	ck_assert_msg(run_program(&spec, &o->r) == 0, "%s: could not run: %s", o->cmd, o->r.error);
	ck_assert_msg(o->r.end != RUN_NOT_STARTED, "%s: %s", o->cmd, o->r.error);
	run_describe(&o->r, o->how, sizeof(o->how));
}

/* run(&o, dir, PROG, "arg", ..., NULL) with the default limits. */
static void run(struct outcome *o, const char *dir, enum prog p, ...)
{
	const char *args[16];
	size_t n = 0;
	va_list ap;

	va_start(ap, p);
	while ((args[n] = va_arg(ap, const char *)) != NULL)
		ck_assert(++n < sizeof(args) / sizeof(args[0]));
	va_end(ap);
	run_with(o, dir, p, args, &run_default_limits);
}

static void done(struct outcome *o)
{
	run_result_free(&o->r);
}

/* ---- what a run must show ------------------------------------------------------- */

/* A printable, bounded copy of data for a message: Check refuses long ones,
 * and a broken program may print anything. */
static const char *show(const char *data, size_t len)
{
	static char bufs[4][512];
	static int next;
	char *b = bufs[next++ % 4];
	size_t o = 0, i;

	for (i = 0; i < len && o < sizeof(bufs[0]) - 8; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\n' || c == '\t')
			o += (size_t)sprintf(b + o, "\\%c", c == '\n' ? 'n' : 't');
		else if (c < 32 || c > 126 || c == '"' || c == '\\')
			o += (size_t)sprintf(b + o, "\\x%02x", c);
		else
			b[o++] = (char)c;
	}
	strcpy(b + o, i < len ? "..." : "");
	return b;
}

#define OUT(o) show((o)->r.out.data, (o)->r.out.len)
#define ERR(o) show((o)->r.err.data, (o)->r.err.len)

static void expect_exit(const struct outcome *o, int lo, int hi)
{
	char want[32];

	snprintf(want, sizeof(want), lo == hi ? "%d" : "%d to %d", lo, hi);
	ck_assert_msg(o->r.end == RUN_EXITED && o->r.code >= lo && o->r.code <= hi,
		      "%s: %s, expected exit %s; stderr: \"%s\"", o->cmd, o->how, want,
		      ERR(o));
	ck_assert_msg(o->r.leftover == 0, "%s: %d process(es) still there after the program "
		      "ended: a child nobody waited for", o->cmd, o->r.leftover);
}

/* How many times line (with its newline) appears in the output. */
static int count_line(const struct run_stream *s, const char *line)
{
	size_t n = strlen(line);
	int count = 0;

	for (const char *at = s->data; at < s->data + s->len; ) {
		const char *nl = memchr(at, '\n', (size_t)(s->data + s->len - at));
		size_t len = nl ? (size_t)(nl - at) + 1 : (size_t)(s->data + s->len - at);
		if (len == n && memcmp(at, line, n) == 0)
			count++;
		at += len;
	}
	return count;
}

static void expect_stdout(const struct outcome *o, const char *want)
{
	size_t n = strlen(want);

	ck_assert_msg(o->r.out.total == n && memcmp(o->r.out.data, want, n) == 0,
		      "%s: stdout is \"%s\" (%zu bytes), expected \"%s\" (%zu bytes)",
		      o->cmd, OUT(o), o->r.out.total, show(want, n), n);
}

/* Exit 0 and nothing on stderr. */
static void expect_clean_exit(const struct outcome *o)
{
	expect_exit(o, 0, 0);
	ck_assert_msg(o->r.err.total == 0, "%s: stderr not empty: \"%s\"", o->cmd, ERR(o));
}

/* Exit 0, exactly want on stdout, nothing on stderr. */
static void expect_success(const struct outcome *o, const char *want)
{
	expect_clean_exit(o);
	expect_stdout(o, want);
}

/* Does stderr hold a usage line: "usage:" (any case), then the program's name? */
static bool err_has_usage(const struct outcome *o)
{
	const char *name = progs[o->p].name;

	for (const char *at = o->r.err.data; *at; ) {
		const char *nl = strchr(at, '\n'), *hit = strstr(at, name);
		if (strncasecmp(at, "usage:", 6) == 0 && hit != NULL && (nl == NULL || hit < nl))
			return true;
		if (nl == NULL)
			break;
		at = nl + 1;
	}
	return false;
}

/* Bad usage: exit 2, nothing on stdout, a usage line on stderr. */
static void expect_usage(const struct outcome *o)
{
	expect_exit(o, 2, 2);
	ck_assert_msg(o->r.out.total == 0, "%s: bad usage, yet stdout is \"%s\"", o->cmd, OUT(o));
	ck_assert_msg(err_has_usage(o), "%s: no line \"usage: %s ...\" on stderr: \"%s\"",
		      o->cmd, progs[o->p].name, ERR(o));
}

/* Refused input: exit lo..hi, nothing on stdout, a message "PROG: ..." (or,
 * for exit 2, a usage line) on stderr. */
static void expect_refused(const struct outcome *o, int lo, int hi)
{
	char prefix[64];

	expect_exit(o, lo, hi);
	ck_assert_msg(o->r.out.total == 0, "%s: refused, yet stdout is \"%s\"", o->cmd, OUT(o));
	snprintf(prefix, sizeof(prefix), "%s: ", progs[o->p].name);
	ck_assert_msg(strncmp(o->r.err.data, prefix, strlen(prefix)) == 0 ||
		      (o->r.code == 2 && err_has_usage(o)),
		      "%s: stderr should start \"%s\": \"%s\"", o->cmd, prefix, ERR(o));
}

/* A call failed with errno e: exit 1, one line "PROG: CALL: strerror(e)". */
static void expect_call_error(const struct outcome *o, int e)
{
	char *tail = xasprintf(": %s", strerror(e));
	const char *err = o->r.err.data;
	size_t n = o->r.err.len, t = strlen(tail);

	expect_refused(o, 1, 1);
	ck_assert_msg(n > t && strchr(err, '\n') == err + n - 1 && memcmp(err + n - 1 - t, tail, t) == 0,
		      "%s: stderr should be one line \"%s: CALL%s\", is \"%s\"", o->cmd,
		      progs[o->p].name, tail, ERR(o));
	free(tail);
}

/* ---- the run directory ---------------------------------------------------------- */

/* A failed test ends at once, without drop_dir(): main() sweeps work_dir. */
static char *fresh_dir(void)
{
	return make_temp_dir(work_dir, "run");
}

static void drop_dir(char *dir)
{
	ck_assert_msg(remove_tree(dir) == 0, "cannot remove %s: %s", dir, strerror(errno));
	free(dir);
}

/* The directory holds exactly the names given (NULL-ended), nothing else. */
static void expect_dir(const char *cmd, const char *dir, const char *const *names)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t want = 0, seen = 0;

	ck_assert_msg(d != NULL, "opendir %s: %s", dir, strerror(errno));
	while (names[want] != NULL)
		want++;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		bool expected = false;
		for (size_t i = 0; i < want; i++)
			expected |= strcmp(e->d_name, names[i]) == 0;
		if (!expected) {
			char name[256];
			snprintf(name, sizeof(name), "%s", e->d_name);
			closedir(d);
			ck_abort_msg("%s: left \"%s\" behind in its directory (also its $TMPDIR)",
				     cmd, name);
		}
		seen++;
	}
	closedir(d);
	ck_assert_msg(seen == want, "%s: %zu of the %zu expected file(s) in its directory",
		      cmd, seen, want);
}

#define EXPECT_DIR(o, dir, ...) expect_dir((o)->cmd, dir, (const char *const[]){ __VA_ARGS__, NULL })
#define EXPECT_EMPTY_DIR(o, dir) expect_dir((o)->cmd, dir, (const char *const[]){ NULL })

static char *path_in(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* The whole file (at most max bytes; more is a failure). */
static char *slurp(const char *cmd, const char *dir, const char *name, size_t max, size_t *len)
{
	char *path = path_in(dir, name);
	char *data = read_file(path, max + 1, len);

	ck_assert_msg(data != NULL, "%s: cannot read %s: %s", cmd, name, strerror(errno));
	ck_assert_msg(*len <= max, "%s: %s is over %zu bytes", cmd, name, max);
	free(path);
	return data;
}

static void put_file(const char *dir, const char *name, const void *data, size_t len)
{
	char *path = path_in(dir, name);

	ck_assert_msg(write_file_atomic(path, data, len) == 0, "write %s: %s", path, strerror(errno));
	free(path);
}

static char *junk(struct rng *r, size_t len)
{
	char *s = xmalloc(len);

	for (size_t i = 0; i < len; i++)
		s[i] = (char)(1 + rnd(r) % 255);	/* never NUL */
	return s;
}

/* ---- 01-file-mapping: mmap_hello --------------------------------------------- */

/* FILE is exactly size bytes: text, then NUL bytes only. */
static void expect_hello_file(const struct outcome *o, const char *dir, const char *file,
			      const char *text, size_t size)
{
	size_t len, tlen = strlen(text);
	char *data = slurp(o->cmd, dir, file, size + 4096, &len);

	ck_assert_msg(len == size, "%s: %s is %zu bytes, expected SIZE = %zu", o->cmd, file, len, size);
	ck_assert_msg(memcmp(data, text, tlen) == 0, "%s: %s does not start with TEXT \"%s\"",
		      o->cmd, file, text);
	for (size_t i = tlen; i < size; i++)
		ck_assert_msg(data[i] == '\0', "%s: byte %zu of %s is %#x, expected NUL after TEXT",
			      o->cmd, i, file, (unsigned char)data[i]);
	free(data);
}

START_TEST(hello_default)
{
	char *dir = fresh_dir();
	struct outcome o;

	run(&o, dir, MMAP_HELLO, NULL);
	expect_success(&o, "xxx\n");
	EXPECT_DIR(&o, dir, "hello");
	expect_hello_file(&o, dir, "hello", "xxx", 20);
	done(&o);
	drop_dir(dir);
}
END_TEST

/* FILE alone, then FILE TEXT: the missing arguments take their defaults. */
START_TEST(hello_partial_args)
{
	struct rng r = rng_for(__func__, 0);
	char *dir = fresh_dir(), *file = rnd_str(&r, 8, alnum), *text = rnd_str(&r, 19, printable);
	char *want = xasprintf("%s\n", text);
	struct outcome o;

	run(&o, dir, MMAP_HELLO, file, NULL);
	expect_success(&o, "xxx\n");
	EXPECT_DIR(&o, dir, file);
	expect_hello_file(&o, dir, file, "xxx", 20);
	done(&o);

	run(&o, dir, MMAP_HELLO, file, text, NULL);	/* 19 bytes: the most SIZE 20 holds */
	expect_success(&o, want);
	EXPECT_DIR(&o, dir, file);
	expect_hello_file(&o, dir, file, text, 20);
	done(&o);
	free(want);
	free(text);
	free(file);
	drop_dir(dir);
}
END_TEST

/* Random FILE, TEXT and SIZE; the file sometimes exists already, longer and
 * full of junk, which O_TRUNC must clear. */
START_TEST(hello_random)
{
	for (int i = 0; i < 5; i++) {
		struct rng r = rng_for(__func__, i);
		char *dir = fresh_dir(), *base = rnd_str(&r, (size_t)rnd_in(&r, 1, 12), alnum);
		char *file = xasprintf("%s.txt", base);
		char *text = rnd_str(&r, (size_t)rnd_in(&r, i == 4 ? 0 : 1, 40), printable);
		size_t size = strlen(text) + 1 + (i == 0 ? 0 : (size_t)rnd_in(&r, 0, 9000));
		char *size_s = xasprintf("%zu", size), *want = xasprintf("%s\n", text);
		struct outcome o;

		if (i % 2 == 1) {
			char *old = junk(&r, size + 100);
			put_file(dir, file, old, size + 100);
			free(old);
		}
		run(&o, dir, MMAP_HELLO, file, text, size_s, NULL);
		expect_success(&o, want);
		EXPECT_DIR(&o, dir, file);
		expect_hello_file(&o, dir, file, text, size);
		done(&o);
		free(want);
		free(size_s);
		free(text);
		free(file);
		free(base);
		drop_dir(dir);
	}
}
END_TEST

/* SIZE 0, and TEXT that does not fit in SIZE-1 bytes: refused, nothing made. */
START_TEST(hello_refused)
{
	struct rng r = rng_for(__func__, 0);
	char *dir = fresh_dir();
	size_t size = (size_t)rnd_in(&r, 1, 60);
	char *fits_not = rnd_str(&r, size, printable);	/* one byte too many */
	char *longer = rnd_str(&r, size + (size_t)rnd_in(&r, 1, 100), printable);
	char *size_s = xasprintf("%zu", size);
	const char *cases[][3] = {
		{ "f", "", "0" }, { "f", "xxx", "0" }, { "f", "x", "1" },
		{ "f", fits_not, size_s }, { "f", longer, size_s },
	};
	struct outcome o;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(&o, dir, MMAP_HELLO, cases[i][0], cases[i][1], cases[i][2], NULL);
		expect_refused(&o, 1, 2);
		EXPECT_EMPTY_DIR(&o, dir);
		done(&o);
	}
	free(size_s);
	free(longer);
	free(fits_not);
	drop_dir(dir);
}
END_TEST

START_TEST(hello_usage)
{
	char *dir = fresh_dir();
	const char *cases[][5] = {
		{ "-z", NULL }, { "-z", "f", NULL }, { "f", "x", "20", "extra", NULL },
		{ "f", "x", "-1", NULL }, { "f", "x", "abc", NULL }, { "f", "x", "20k", NULL },
		{ "f", "x", "", NULL }, { "f", "x", "+3", NULL }, { "f", "x", " 7", NULL },
		{ "f", "x", "99999999999999999999999", NULL },
	};
	struct outcome o;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_with(&o, dir, MMAP_HELLO, cases[i], &run_default_limits);
		expect_usage(&o);
		EXPECT_EMPTY_DIR(&o, dir);
		done(&o);
	}
	drop_dir(dir);
}
END_TEST

/* open fails (no such directory, a directory), mmap fails (address space). */
START_TEST(hello_failing_calls)
{
	char *dir = fresh_dir();
	struct outcome o;

	run(&o, dir, MMAP_HELLO, "no-such-dir/f", NULL);
	expect_call_error(&o, ENOENT);
	EXPECT_EMPTY_DIR(&o, dir);
	done(&o);

	char *sub = path_in(dir, "d");
	ck_assert_msg(mkdir(sub, 0755) == 0, "mkdir %s: %s", sub, strerror(errno));
	run(&o, dir, MMAP_HELLO, "d", NULL);
	expect_call_error(&o, EISDIR);
	EXPECT_DIR(&o, dir, "d");
	done(&o);

	/* 2 GiB do not fit in the 1 GiB address space; the file is sparse. */
	struct run_limits lim = run_default_limits;
	lim.as = 1UL << 30;
	lim.fsize = RLIM_INFINITY;
	run_with(&o, dir, MMAP_HELLO, (const char *[]){ "big", "x", "2147483648", NULL }, &lim);
	expect_call_error(&o, ENOMEM);
	done(&o);
	free(sub);
	drop_dir(dir);
}
END_TEST

/* ---- 02-fork-sharing and 03-anonymous-mapping: fork_share, anon_share, zero_share */

/* The two lines of a run; var is only in fork_share's. */
static char *share_lines(enum prog p, long value, long var, long parent_value)
{
	if (p == FORK_SHARE)
		return xasprintf("child, *p = %ld, var = %ld\nparent, *p = %ld, var = 100\n",
				 value, var, parent_value);
	return xasprintf("child, *p = %ld\nparent, *p = %ld\n", value, parent_value);
}

/* The lines, each exactly once, child first; each judged on its own. */
static void expect_share(const struct outcome *o, const char *dir, enum prog p,
			 long value, long var, long parent_value)
{
	char *want = share_lines(p, value, var, parent_value);
	char *nl = strchr(want, '\n');
	char *child = strndup(want, (size_t)(nl - want) + 1), *parent = xstrdup(nl + 1);

	expect_clean_exit(o);
	ck_assert_msg(count_line(&o->r.out, child) == 1, "%s: the child's line \"%.*s\" "
		      "appears %d times in \"%s\"", o->cmd, (int)strlen(child) - 1, child,
		      count_line(&o->r.out, child), OUT(o));
	ck_assert_msg(count_line(&o->r.out, parent) == 1, "%s: the parent's line \"%.*s\" "
		      "appears %d times in \"%s\"", o->cmd, (int)strlen(parent) - 1, parent,
		      count_line(&o->r.out, parent), OUT(o));
	expect_stdout(o, want);
	EXPECT_EMPTY_DIR(o, dir);
	free(parent);
	free(child);
	free(want);
}

START_TEST(share_default)
{
	enum prog p = (enum prog)_i;
	char *dir = fresh_dir();
	struct outcome o;

	run(&o, dir, p, NULL);
	expect_share(&o, dir, p, 2000, 1000, 2000);
	done(&o);
	drop_dir(dir);
}
END_TEST

/* Random values: printing 2000 without sharing memory fails here.  Run in a
 * loop so that a race lost even now and then shows up.  The fastest of the
 * runs taking a second means sleep(1) orders the processes, not wait(). */
START_TEST(share_random)
{
	enum prog p = (enum prog)_i;
	double fastest = 1e9;

	for (int i = 0; i < 5; i++) {
		struct rng r = rng_for(__func__, i + 10 * _i);
		char *dir = fresh_dir();
		char *value = rnd_int(&r), *var = rnd_int(&r);
		long v = atol(value);
		struct outcome o;

		if (i == 0 || p != FORK_SHARE) {
			/* VALUE alone (VAR keeps its default 1000) */
			run(&o, dir, p, value, NULL);
			expect_share(&o, dir, p, v, 1000, v);
		} else {
			run(&o, dir, p, value, var, NULL);
			expect_share(&o, dir, p, v, atol(var), v);
		}
		fastest = o.r.wall_sec < fastest ? o.r.wall_sec : fastest;
		done(&o);
		free(var);
		free(value);
		drop_dir(dir);
	}
	ck_assert_msg(fastest < 0.9, "%s: the fastest of 5 runs took %.2f s: sleep() orders "
		      "parent and child, not wait()", progs[p].name, fastest);
}
END_TEST

/* -p: a private mapping, the parent sees the file's 0. */
START_TEST(fork_private)
{
	char *dir = fresh_dir();
	struct outcome o;

	run(&o, dir, FORK_SHARE, "-p", NULL);
	expect_share(&o, dir, FORK_SHARE, 2000, 1000, 0);
	done(&o);
	for (int i = 0; i < 3; i++) {
		struct rng r = rng_for(__func__, i);
		char *value = rnd_int(&r), *var = rnd_int(&r);

		run(&o, dir, FORK_SHARE, "-p", value, var, NULL);
		expect_share(&o, dir, FORK_SHARE, atol(value), atol(var), 0);
		done(&o);
		free(var);
		free(value);
	}
	drop_dir(dir);
}
END_TEST

START_TEST(share_usage)
{
	enum prog p = (enum prog)_i;
	char *dir = fresh_dir();
	/* fork_share takes -p and two numbers, the others one number. */
	const char *common[][4] = {
		{ "-x", NULL }, { "-5", NULL }, { "abc", NULL }, { "1.5", NULL }, { "", NULL },
		{ "2147483648", NULL }, { "0x10", NULL }, { "12abc", NULL }, { "+3", NULL },
	};
	const char *fork_only[][5] = {
		{ "1", "2", "3", NULL }, { "1", "x", NULL }, { "1", "-1", NULL }, { "-p", "-q", NULL },
		{ "-p", "1", "2", "3", NULL },
	};
	const char *single_only[][4] = { { "1", "2", NULL }, { "-p", NULL } };
	struct outcome o;

	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++) {
		run_with(&o, dir, p, common[i], &run_default_limits);
		expect_usage(&o);
		EXPECT_EMPTY_DIR(&o, dir);
		done(&o);
	}
	size_t n = p == FORK_SHARE ? sizeof(fork_only) / sizeof(fork_only[0])
				   : sizeof(single_only) / sizeof(single_only[0]);
	for (size_t i = 0; i < n; i++) {
		run_with(&o, dir, p, p == FORK_SHARE ? fork_only[i] : single_only[i],
			 &run_default_limits);
		expect_usage(&o);
		EXPECT_EMPTY_DIR(&o, dir);
		done(&o);
	}
	drop_dir(dir);
}
END_TEST

/* ---- 04-writer-reader: mmap_w and mmap_r ---------------------------------------- */

struct stu_values {
	long id;
	char name[64];
	char sex;
};

/* The file is sizeof(struct STU) bytes and holds the values, field by field;
 * padding and the bytes after NAME's NUL are free. */
static void expect_stu_file(const struct outcome *o, const char *dir, const char *file,
			    const struct stu_values *v)
{
	size_t len;
	char *data = slurp(o->cmd, dir, file, 4096, &len);
	int id;

	ck_assert_msg(len == sizeof(struct STU), "%s: %s is %zu bytes, expected sizeof(struct STU) "
		      "= %zu", o->cmd, file, len, sizeof(struct STU));
	memcpy(&id, data + offsetof(struct STU, id), sizeof(id));
	ck_assert_msg(id == v->id, "%s: id in the file is %d, expected %ld", o->cmd, id, v->id);
	const char *name = data + offsetof(struct STU, name);
	size_t nlen = strnlen(name, sizeof(((struct STU *)0)->name));
	ck_assert_msg(nlen == strlen(v->name) && memcmp(name, v->name, nlen) == 0,
		      "%s: name in the file is \"%s\"%s, expected \"%s\"", o->cmd, show(name, nlen),
		      nlen == sizeof(((struct STU *)0)->name) ? " with no NUL" : "", v->name);
	ck_assert_msg(data[offsetof(struct STU, sex)] == v->sex, "%s: sex in the file is '%s', "
		      "expected '%c'", o->cmd, show(data + offsetof(struct STU, sex), 1), v->sex);
	free(data);
}

/* A struct STU file as another writer might leave it: junk in the padding
 * and after the name's NUL (none if the name fills all 20 bytes). */
static void put_stu_file(struct rng *r, const char *dir, const char *file,
			 const struct stu_values *v, size_t extra)
{
	size_t len = sizeof(struct STU) + extra;
	char *data = junk(r, len);
	int id = (int)v->id;

	memcpy(data + offsetof(struct STU, id), &id, sizeof(id));
	size_t n = strlen(v->name) + 1;	/* with its NUL, if there is room */
	if (n > sizeof(((struct STU *)0)->name))
		n = sizeof(((struct STU *)0)->name);
	memcpy(data + offsetof(struct STU, name), v->name, n);
	data[offsetof(struct STU, sex)] = v->sex;
	put_file(dir, file, data, len);
	free(data);
}

static char *reader_line(const struct stu_values *v)
{
	return xasprintf("id=%ld\tname=%s\t%c\n", v->id, v->name, v->sex);
}

static struct stu_values rnd_stu(struct rng *r, size_t name_len)
{
	struct stu_values v = { .id = rnd_in(r, 0, INT_MAX) };
	char *name = rnd_str(r, name_len, alnum), *sex = rnd_str(r, 1, alnum);

	snprintf(v.name, sizeof(v.name), "%s", name);
	v.sex = sex[0];
	free(sex);
	free(name);
	return v;
}

static const struct stu_values stu_default = { 10, "xiaoming", 'm' };

START_TEST(stu_layout)
{
	/* SPEC §1: struct STU { int id; char name[20]; char sex; }, 28 bytes on x86-64. */
	ck_assert_uint_eq(offsetof(struct STU, id), 0);
	ck_assert_uint_eq(offsetof(struct STU, name), sizeof(int));
	ck_assert_uint_eq(sizeof(((struct STU *)0)->name), 20);
	ck_assert_uint_eq(offsetof(struct STU, sex), sizeof(int) + 20);
#if defined(__x86_64__)
	ck_assert_uint_eq(sizeof(struct STU), 28);
#endif
}
END_TEST

START_TEST(writer_default)
{
	char *dir = fresh_dir();
	struct outcome o;

	run(&o, dir, MMAP_W, "student.dat", NULL);
	expect_success(&o, "");
	EXPECT_DIR(&o, dir, "student.dat");
	expect_stu_file(&o, dir, "student.dat", &stu_default);
	done(&o);
	drop_dir(dir);
}
END_TEST

/* The test writes the file, with junk where junk is allowed. */
START_TEST(reader_default)
{
	struct rng r = rng_for(__func__, 0);
	char *dir = fresh_dir();
	struct outcome o;

	put_stu_file(&r, dir, "student.dat", &stu_default, 0);
	run(&o, dir, MMAP_R, "student.dat", NULL);
	expect_success(&o, "id=10\tname=xiaoming\tm\n");
	EXPECT_DIR(&o, dir, "student.dat");
	expect_stu_file(&o, dir, "student.dat", &stu_default);	/* left as it was */
	done(&o);
	drop_dir(dir);
}
END_TEST

/* The pair, as the document runs it: the writer first, then the reader;
 * the defaults, then random values. */
START_TEST(writer_then_reader)
{
	for (int i = 0; i < 4; i++) {
		struct rng r = rng_for(__func__, i);
		struct stu_values v = i == 0 ? stu_default : rnd_stu(&r, (size_t)rnd_in(&r, 0, 19));
		char *dir = fresh_dir(), *id = xasprintf("%ld", v.id), sex[2] = { v.sex, '\0' };
		char *want = reader_line(&v);
		struct outcome o;

		if (i == 0)
			run(&o, dir, MMAP_W, "shared", NULL);
		else
			run(&o, dir, MMAP_W, "shared", id, v.name, sex, NULL);
		expect_success(&o, "");
		done(&o);
		run(&o, dir, MMAP_R, "shared", NULL);
		expect_success(&o, want);
		EXPECT_DIR(&o, dir, "shared");
		done(&o);
		free(want);
		free(id);
		drop_dir(dir);
	}
}
END_TEST

/* Random ID, NAME (up to the full 19 bytes) and SEX; sometimes over an
 * existing longer file, which must end up exactly sizeof(struct STU). */
START_TEST(writer_random)
{
	for (int i = 0; i < 5; i++) {
		struct rng r = rng_for(__func__, i);
		char *dir = fresh_dir(), *file = rnd_str(&r, 10, alnum);
		struct stu_values v = rnd_stu(&r, i == 0 ? 19 : i == 1 ? 0 : (size_t)rnd_in(&r, 1, 19));
		char *id = xasprintf("%ld", v.id), sex[2] = { v.sex, '\0' };
		struct outcome o;

		if (i % 2 == 1) {
			char *old = junk(&r, 100);
			put_file(dir, file, old, 100);
			free(old);
		}
		run(&o, dir, MMAP_W, file, id, v.name, sex, NULL);
		expect_success(&o, "");
		EXPECT_DIR(&o, dir, file);
		expect_stu_file(&o, dir, file, &v);
		done(&o);
		free(id);
		free(file);
		drop_dir(dir);
	}
}
END_TEST

/* Files from "another writer": junk padding, a longer file, a NAME of all
 * 20 bytes with no NUL (printed up to its 20 bytes, never beyond). */
START_TEST(reader_random)
{
	for (int i = 0; i < 5; i++) {
		struct rng r = rng_for(__func__, i);
		char *dir = fresh_dir();
		size_t name_len = i == 0 ? sizeof(((struct STU *)0)->name) : (size_t)rnd_in(&r, 0, 19);
		struct stu_values v = rnd_stu(&r, name_len);
		char *want = reader_line(&v);
		struct outcome o;

		put_stu_file(&r, dir, "in.dat", &v, i % 2 ? (size_t)rnd_in(&r, 1, 5000) : 0);
		run(&o, dir, MMAP_R, "in.dat", NULL);
		expect_success(&o, want);
		EXPECT_DIR(&o, dir, "in.dat");
		done(&o);
		free(want);
		drop_dir(dir);
	}
}
END_TEST

/* NAME over 19 bytes, SEX not one character: refused, no file made. */
START_TEST(writer_refused)
{
	struct rng r = rng_for(__func__, 0);
	char *dir = fresh_dir();
	char *name20 = rnd_str(&r, 20, alnum), *name_long = rnd_str(&r, (size_t)rnd_in(&r, 21, 200), alnum);
	char *sex2 = rnd_str(&r, 2, alnum), *sex_long = rnd_str(&r, (size_t)rnd_in(&r, 3, 10), alnum);
	const char *cases[][4] = {
		{ "f", "1", name20, "m" }, { "f", "1", name_long, "m" },
		{ "f", "1", "lihua", sex2 }, { "f", "1", "lihua", sex_long }, { "f", "1", "lihua", "" },
	};
	struct outcome o;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(&o, dir, MMAP_W, cases[i][0], cases[i][1], cases[i][2], cases[i][3], NULL);
		expect_refused(&o, 1, 2);
		EXPECT_EMPTY_DIR(&o, dir);
		done(&o);
	}
	free(sex_long);
	free(sex2);
	free(name_long);
	free(name20);
	drop_dir(dir);
}
END_TEST

START_TEST(writer_usage)
{
	char *dir = fresh_dir();
	const char *cases[][7] = {
		{ NULL }, { "f", "1", NULL }, { "f", "1", "lihua", NULL },
		{ "f", "1", "lihua", "m", "extra", NULL }, { "-x", "f", NULL },
		{ "f", "abc", "lihua", "m", NULL }, { "f", "-1", "lihua", "m", NULL },
		{ "f", "", "lihua", "m", NULL }, { "f", "2147483648", "lihua", "m", NULL },
		{ "f", "1.0", "lihua", "m", NULL },
	};
	struct outcome o;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_with(&o, dir, MMAP_W, cases[i], &run_default_limits);
		expect_usage(&o);
		EXPECT_EMPTY_DIR(&o, dir);
		done(&o);
	}
	drop_dir(dir);
}
END_TEST

START_TEST(writer_failing_calls)
{
	char *dir = fresh_dir(), *sub = path_in(dir, "d");
	struct outcome o;

	run(&o, dir, MMAP_W, "no-such-dir/f", NULL);
	expect_call_error(&o, ENOENT);
	EXPECT_EMPTY_DIR(&o, dir);
	done(&o);
	ck_assert_msg(mkdir(sub, 0755) == 0, "mkdir %s: %s", sub, strerror(errno));
	run(&o, dir, MMAP_W, "d", "1", "lihua", "f", NULL);
	expect_call_error(&o, EISDIR);
	EXPECT_DIR(&o, dir, "d");
	done(&o);
	free(sub);
	drop_dir(dir);
}
END_TEST

/* A missing file, a short file, a directory: "mmap_r: ..." and exit 1,
 * never SIGBUS; the short file is left as it was. */
START_TEST(reader_refused)
{
	struct rng r = rng_for(__func__, 0);
	char *dir = fresh_dir(), *sub = path_in(dir, "d");
	struct outcome o;

	run(&o, dir, MMAP_R, "missing.dat", NULL);
	expect_call_error(&o, ENOENT);
	EXPECT_EMPTY_DIR(&o, dir);
	done(&o);

	size_t sizes[] = { 0, 1, (size_t)rnd_in(&r, 2, sizeof(struct STU) - 2), sizeof(struct STU) - 1 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *data = junk(&r, sizes[i]);
		size_t len;

		put_file(dir, "short.dat", data, sizes[i]);
		run(&o, dir, MMAP_R, "short.dat", NULL);
		expect_refused(&o, 1, 1);
		EXPECT_DIR(&o, dir, "short.dat");
		char *after = slurp(o.cmd, dir, "short.dat", 4096, &len);
		ck_assert_msg(len == sizes[i] && memcmp(after, data, len) == 0,
			      "%s: the reader changed its input file", o.cmd);
		done(&o);
		free(after);
		free(data);
	}

	ck_assert_msg(mkdir(sub, 0755) == 0, "mkdir %s: %s", sub, strerror(errno));
	run(&o, dir, MMAP_R, "d", NULL);
	expect_refused(&o, 1, 1);
	done(&o);
	free(sub);
	drop_dir(dir);
}
END_TEST

START_TEST(reader_usage)
{
	char *dir = fresh_dir();
	const char *cases[][4] = { { NULL }, { "a", "b", NULL }, { "-x", "a", NULL } };
	struct outcome o;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_with(&o, dir, MMAP_R, cases[i], &run_default_limits);
		expect_usage(&o);
		EXPECT_EMPTY_DIR(&o, dir);
		done(&o);
	}
	drop_dir(dir);
}
END_TEST

/* ---- 05-pitfalls: mmap_cat (issue 18) -------------------------------------------- */

#define PAGE 4096L	/* x86-64's; the tests draw ranges around it */

/* Random bytes with runs of NUL bytes in them: a program that stops at the
 * first NUL (printf "%s") prints too little. */
static char *bytes_with_nuls(struct rng *r, size_t len)
{
	char *s = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		s[i] = rnd(r) % 5 == 0 ? '\0' : (char)rnd(r);
	return s;
}

/* Exit 0, nothing on stderr, stdout exactly len bytes at want. */
static void expect_bytes(const struct outcome *o, const char *want, size_t len)
{
	expect_clean_exit(o);
	size_t same = 0;
	while (same < len && same < o->r.out.len && o->r.out.data[same] == want[same])
		same++;
	ck_assert_msg(o->r.out.total == len && same == len,
		      "%s: stdout is %zu bytes, expected %zu; they differ from byte %zu on",
		      o->cmd, o->r.out.total, len, same);
}

/* mmap_cat FILE OFFSET LENGTH on data (size bytes) prints this much. */
static size_t cat_len(size_t size, size_t offset, size_t length)
{
	return offset >= size ? 0 : length < size - offset ? length : size - offset;
}

START_TEST(cat_default)
{
	struct rng r = rng_for(__func__, 0);
	size_t size = 3 * PAGE + (size_t)rnd_in(&r, 1, PAGE - 1);
	char *dir = fresh_dir(), *data = bytes_with_nuls(&r, size);
	struct outcome o;

	put_file(dir, "f", data, size);
	run(&o, dir, MMAP_CAT, "f", NULL);
	expect_bytes(&o, data, size);
	EXPECT_DIR(&o, dir, "f");
	done(&o);
	free(data);
	drop_dir(dir);
}
END_TEST

/* OFFSET alone, then OFFSET and LENGTH, around page boundaries; a file one
 * byte longer than a page. */
START_TEST(cat_random)
{
	struct rng r = rng_for(__func__, 0);
	char *dir = fresh_dir();
	struct outcome o;

	for (int i = 0; i < 12; i++) {
		size_t size = i == 0 ? PAGE + 1 : (size_t)rnd_in(&r, 1, 6 * PAGE);
		char *data = bytes_with_nuls(&r, size);
		/* Half the offsets a few bytes from a page boundary. */
		size_t offset = (size_t)rnd_in(&r, 0, (long)size - 1);
		if (i % 2 == 1 && size > PAGE)
			offset = (size_t)(PAGE * rnd_in(&r, 1, (long)size / PAGE) +
					  rnd_in(&r, -3, 3)) % size;
		size_t length = (size_t)rnd_in(&r, 0, 3 * PAGE);
		char off[24], len[24];
		snprintf(off, sizeof(off), "%zu", offset);
		snprintf(len, sizeof(len), "%zu", length);
		put_file(dir, "f", data, size);
		if (i % 3 == 0) {
			run(&o, dir, MMAP_CAT, "f", off, NULL);
			expect_bytes(&o, data + offset, size - offset);
		} else {
			run(&o, dir, MMAP_CAT, "f", off, len, NULL);
			expect_bytes(&o, data + offset, cat_len(size, offset, length));
		}
		done(&o);
		free(data);
	}
	/* The last byte of a file one byte longer than a page. */
	char one[PAGE + 1];
	memset(one, 'a', sizeof(one));
	one[PAGE] = 'z';
	put_file(dir, "f", one, sizeof(one));
	run(&o, dir, MMAP_CAT, "f", "4096", NULL);
	expect_bytes(&o, "z", 1);
	done(&o);
	drop_dir(dir);
}
END_TEST

/* Nothing to print is not an error (pitfall 4: and not a 0-length mmap). */
START_TEST(cat_nothing)
{
	char *dir = fresh_dir();
	struct outcome o;

	put_file(dir, "empty", "", 0);
	run(&o, dir, MMAP_CAT, "empty", NULL);
	expect_bytes(&o, "", 0);
	done(&o);
	put_file(dir, "f", "abcdef", 6);
	run(&o, dir, MMAP_CAT, "f", "2", "0", NULL);
	expect_bytes(&o, "", 0);
	done(&o);
	drop_dir(dir);
}
END_TEST

START_TEST(cat_refused)
{
	char *dir = fresh_dir();
	struct outcome o;

	put_file(dir, "f", "abcdef", 6);
	run(&o, dir, MMAP_CAT, "f", "6", NULL);
	expect_refused(&o, 1, 1);
	done(&o);
	run(&o, dir, MMAP_CAT, "f", "99999", "1", NULL);
	expect_refused(&o, 1, 1);
	done(&o);
	run(&o, dir, MMAP_CAT, "no-such-file", NULL);
	expect_call_error(&o, ENOENT);
	done(&o);
	EXPECT_DIR(&o, dir, "f");
	drop_dir(dir);
}
END_TEST

START_TEST(cat_usage)
{
	static const char *const bad[][4] = {
		{ NULL }, { "-x", "f", NULL }, { "f", "1x", NULL }, { "f", "-7", NULL },
		{ "f", "+3", NULL }, { "f", " 7", NULL }, { "f", "", NULL },
		{ "f", "1", "2", "3" },
	};
	char *dir = fresh_dir();
	struct outcome o;

	put_file(dir, "f", "abcdef", 6);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *args[5] = { NULL };
		memcpy(args, bad[i], sizeof(bad[i]));
		run_with(&o, dir, MMAP_CAT, args, &run_default_limits);
		expect_usage(&o);
		done(&o);
	}
	drop_dir(dir);
}
END_TEST

/* ---- 06-read-vs-mmap: sum_read and sum_mmap (issue 18) ---------------------------- */

/* FNV-1a 64 and the line both programs print. */
static char *sum_line(const char *data, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)data[i]) * 0x100000001b3ULL;
	return xasprintf("%016" PRIx64 " %zu\n", h, len);
}

/* The published test vectors of FNV-1a 64, and the empty file. */
START_TEST(sum_default)
{
	static const struct { const char *data, *line; } vectors[] = {
		{ "", "cbf29ce484222325 0\n" },
		{ "a", "af63dc4c8601ec8c 1\n" },
		{ "foobar", "85944171f73967e8 6\n" },
	};
	char *dir = fresh_dir();
	struct outcome o;

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		put_file(dir, "f", vectors[i].data, strlen(vectors[i].data));
		run(&o, dir, (enum prog)_i, "f", NULL);
		expect_success(&o, vectors[i].line);
		done(&o);
	}
	drop_dir(dir);
}
END_TEST

/* Sizes around a page, bytes above 0x7f (a signed char changes the hash),
 * and a few MiB. */
START_TEST(sum_random)
{
	struct rng r = rng_for(__func__, _i);
	const size_t sizes[] = { 1, PAGE - 1, PAGE, PAGE + 1, (size_t)rnd_in(&r, 1, 64 * PAGE),
				 (3 << 20) + (size_t)rnd_in(&r, 0, PAGE) };
	char *dir = fresh_dir();
	struct outcome o;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *data = bytes_with_nuls(&r, sizes[i]), *line = sum_line(data, sizes[i]);
		put_file(dir, "f", data, sizes[i]);
		run(&o, dir, (enum prog)_i, "f", NULL);
		expect_success(&o, line);
		done(&o);
		free(line);
		free(data);
	}
	drop_dir(dir);
}
END_TEST

START_TEST(sum_refused)
{
	char *dir = fresh_dir();
	struct outcome o;

	run(&o, dir, (enum prog)_i, "no-such-file", NULL);
	expect_call_error(&o, ENOENT);
	EXPECT_EMPTY_DIR(&o, dir);
	done(&o);
	drop_dir(dir);
}
END_TEST

START_TEST(sum_usage)
{
	static const char *const bad[][3] = { { NULL }, { "-x", "f", NULL }, { "f", "g", NULL } };
	char *dir = fresh_dir();
	struct outcome o;

	put_file(dir, "f", "abc", 3);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *args[4] = { NULL };
		memcpy(args, bad[i], sizeof(bad[i]));
		run_with(&o, dir, (enum prog)_i, args, &run_default_limits);
		expect_usage(&o);
		done(&o);
	}
	drop_dir(dir);
}
END_TEST

/* ---- skeletons ------------------------------------------------------------------ */

/* Which programs passed their "default" and "random values" cases in the
 * solution suite, run silently against the same binaries before this one. */
static bool passed_solution_tests[NPROGS];

START_TEST(skeleton_not_implemented)
{
	enum prog p = (enum prog)_i;
	struct rng r = rng_for(__func__, 0);
	char *dir = fresh_dir();
	struct outcome o;

	/* FILE is the one argument without a default; the reader gets a good file. */
	if (p == MMAP_R)
		put_stu_file(&r, dir, "f", &stu_default, 0);
	const char *args[] = { p == MMAP_W || p == MMAP_R || p >= MMAP_CAT ? "f" : NULL, NULL };
	run_with(&o, dir, p, args, &run_default_limits);
	ck_assert_msg(o.r.end == RUN_EXITED, "%s: %s, expected a normal exit", o.cmd, o.how);
	ck_assert_msg(o.r.code != 0, "%s: exit 0 from a skeleton", o.cmd);
	ck_assert_msg(o.r.out.total == 0, "%s: stdout not empty: \"%s\"", o.cmd, OUT(&o));
	ck_assert_msg(strstr(o.r.err.data, "not implemented") != NULL,
		      "%s: no \"not implemented\" on stderr: \"%s\"", o.cmd, ERR(&o));
	done(&o);
	drop_dir(dir);
}
END_TEST

START_TEST(skeleton_fails_solution_tests)
{
	ck_assert_msg(!passed_solution_tests[_i], "%s passes the solution's default and "
		      "random-value tests: the skeleton gives the answer away", progs[_i].name);
}
END_TEST

/* ---- suites ------------------------------------------------------------------- */

static void setup(void)
{
	run_init();	/* per test: Check forks each one, and subreaping is not inherited */
}

static TCase *tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);	/* each run has its own 5 s limit */
	suite_add_tcase(s, tc);
	return tc;
}

/* One test case per program and behaviour, named "PROG: behaviour". */
static void add(Suite *s, enum prog p, const char *what, const TTest *test)
{
	/* Check keeps the pointer: the names must outlive the suites. */
	static char names[64][96];
	static size_t used;

	if (used == sizeof(names) / sizeof(names[0])) {
		fputs("test_labs: more test cases than names[] holds\n", stderr);
		exit(2);
	}
	snprintf(names[used], sizeof(names[0]), "%s: %s", progs[p].name, what);
	tcase_add_loop_test(tcase(s, names[used++]), test, (int)p, (int)p + 1);
}

/* Labs 05 and 06 in the solution suite. */
static void add_pitfall_and_sum_cases(Suite *s)
{
	add(s, MMAP_CAT, "default", cat_default);
	add(s, MMAP_CAT, "random values", cat_random);
	add(s, MMAP_CAT, "nothing to print", cat_nothing);
	add(s, MMAP_CAT, "refused input", cat_refused);
	add(s, MMAP_CAT, "bad usage", cat_usage);
	for (enum prog p = SUM_READ; p <= SUM_MMAP; p++) {
		add(s, p, "default", sum_default);
		add(s, p, "random values", sum_random);
		add(s, p, "refused input", sum_refused);
		add(s, p, "bad usage", sum_usage);
	}
}

static Suite *solution_suite(void)
{
	Suite *s = suite_create("labs");

	add(s, MMAP_HELLO, "default", hello_default);
	add(s, MMAP_HELLO, "defaults per argument", hello_partial_args);
	add(s, MMAP_HELLO, "random values", hello_random);
	add(s, MMAP_HELLO, "refused input", hello_refused);
	add(s, MMAP_HELLO, "bad usage", hello_usage);
	add(s, MMAP_HELLO, "failing calls", hello_failing_calls);
	for (enum prog p = FORK_SHARE; p <= ZERO_SHARE; p++) {
		add(s, p, "default", share_default);
		add(s, p, "random values", share_random);
		add(s, p, "bad usage", share_usage);
	}
	add(s, FORK_SHARE, "-p", fork_private);
	add(s, MMAP_W, "struct STU layout", stu_layout);
	add(s, MMAP_W, "default", writer_default);
	add(s, MMAP_W, "random values", writer_random);
	add(s, MMAP_W, "refused input", writer_refused);
	add(s, MMAP_W, "bad usage", writer_usage);
	add(s, MMAP_W, "failing calls", writer_failing_calls);
	add(s, MMAP_R, "default", reader_default);
	add(s, MMAP_R, "after mmap_w", writer_then_reader);
	add(s, MMAP_R, "random values", reader_random);
	add(s, MMAP_R, "refused input", reader_refused);
	add(s, MMAP_R, "bad usage", reader_usage);
	add_pitfall_and_sum_cases(s);
	return s;
}

static Suite *skeleton_suite(void)
{
	Suite *s = suite_create("skeletons");

	for (enum prog p = 0; p < NPROGS; p++) {
		add(s, p, "skeleton says not implemented", skeleton_not_implemented);
		add(s, p, "skeleton fails the solution's tests", skeleton_fails_solution_tests);
	}
	return s;
}

/* Runs the solution suite silently and notes, per program, whether its
 * "default" and "random values" cases all passed. */
static void note_solution_results(void)
{
	SRunner *sr = srunner_create(solution_suite());
	int failed[NPROGS] = { 0 }, seen[NPROGS] = { 0 };

	srunner_run_all(sr, CK_SILENT);
	TestResult **res = srunner_results(sr);
	for (int i = 0; i < srunner_ntests_run(sr); i++)
		for (enum prog p = 0; p < NPROGS; p++) {
			char d[96], rv[96];
			snprintf(d, sizeof(d), "%s: default", progs[p].name);
			snprintf(rv, sizeof(rv), "%s: random values", progs[p].name);
			if (strcmp(tr_tcname(res[i]), d) == 0 || strcmp(tr_tcname(res[i]), rv) == 0) {
				seen[p]++;
				failed[p] += tr_rtype(res[i]) != CK_PASS;
			}
		}
	for (enum prog p = 0; p < NPROGS; p++)
		passed_solution_tests[p] = seen[p] > 0 && failed[p] == 0;
	free(res);
	srunner_free(sr);
}

int main(int argc, char *argv[])
{
	bool skeleton = argc == 2 && strcmp(argv[1], "--skeleton") == 0;
	const char *bin = getenv("LAB_BIN"), *seed_s = getenv("LAB_SEED");

	if (argc > 2 || (argc == 2 && !skeleton) || bin == NULL || *bin == '\0') {
		fprintf(stderr, "usage: LAB_BIN=DIR [LAB_SEED=N] test_labs [--skeleton]\n");
		return 2;
	}
	char *root = realpath(bin, NULL);
	if (root == NULL) {
		fprintf(stderr, "test_labs: %s: %s\n", bin, strerror(errno));
		return 2;
	}
	/* A missing binary would fail every test for the wrong reason. */
	for (enum prog p = 0; p < NPROGS; p++) {
		prog_path[p] = xasprintf("%s/%s/%s", root, progs[p].lab, progs[p].name);
		if (access(prog_path[p], X_OK) == -1) {
			fprintf(stderr, "test_labs: %s: %s\n", prog_path[p], strerror(errno));
			return 2;
		}
	}
	char *end = NULL;
	seed = seed_s && *seed_s ? strtoull(seed_s, &end, 0) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
	if (end != NULL && *end != '\0') {
		fprintf(stderr, "test_labs: LAB_SEED=%s is not a number\n", seed_s);
		return 2;
	}
	printf("test_labs: %s%s, seed %" PRIu64 " (LAB_SEED=%" PRIu64 " repeats this run)\n",
	       root, skeleton ? " (skeletons)" : "", seed, seed);
	fflush(stdout);

	work_dir = make_temp_dir(NULL, "test_labs");
	if (skeleton)
		note_solution_results();
	SRunner *sr = srunner_create(skeleton ? skeleton_suite() : solution_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (remove_tree(work_dir) == -1)
		fprintf(stderr, "test_labs: cannot remove %s: %s\n", work_dir, strerror(errno));
	free(work_dir);
	for (enum prog p = 0; p < NPROGS; p++)
		free(prog_path[p]);
	free(root);
	return failed == 0 ? 0 : 1;
}
