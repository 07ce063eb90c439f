/*
 * trial.c: runs of a student's program and the judgments labs make of them
 * (see trial.h).
 */
#define _GNU_SOURCE
#include "labs/trial.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/checks.h"
#include "audit/frames.h"
#include "run/sys.h"

void trial_init(const struct grader *g, struct trial *t)
{
	memset(t, 0, sizeof(*t));
	t->dir = make_temp_dir(g->workdir, "run");
	if ((t->own_fs = g->in_memory))
		sandbox_run_folder(t->dir);
	sandbox_give(g->sandbox, t->dir);
}

/* An argument as a shell would need it typed. */
static void append_quoted(char **line, const char *arg)
{
	bool plain = *arg != '\0' && strspn(arg, "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,") == strlen(arg);
	char *q = show_bytes(arg, strlen(arg), 200);
	char *next = xasprintf(plain ? "%s %s" : "%s '%s'", *line, q);

	free(q);
	free(*line);
	*line = next;
}

#define MAX_STRIKES 2

/* The strike count of lab/prog (a slot for it if it has none yet). */
static int *strikes(const struct grader *g, const char *lab, const char *prog)
{
	struct leftovers *l = g->left;
	char key[64];

	snprintf(key, sizeof(key), "%s/%s", lab, prog);
	for (size_t i = 0; i < 8; i++)
		if (strcmp(l->slow[i], key) == 0 || l->slow[i][0] == '\0') {
			snprintf(l->slow[i], sizeof(l->slow[i]), "%s", key);
			return &l->strikes[i];
		}
	return &l->strikes[7];
}

/* Runs the trial in this process; the audit log is t->dir + ".audit". */
static void exec_here(const struct grader *g, const struct sandbox *sb, struct trial *t,
		      const char *lab, const char *prog, const char *const *args,
		      const char *const *env)
{
	size_t nargs = 0, nenv = 0;
	while (args != NULL && args[nargs] != NULL)
		nargs++;
	while (env != NULL && env[nenv] != NULL)
		nenv++;
	const char **argv = xcalloc(nargs + 2, sizeof(*argv));
	const char **envv = xcalloc(nenv + 4, sizeof(*envv));
	char *path = xasprintf("%s/%s/%s", g->bindir, lab, prog);
	char *log = xasprintf("%s.audit", t->dir);
	char *ro_bindir = xasprintf("-%s", g->bindir);

	argv[0] = prog;	/* its name, as a shell would give it: no grader path in messages */
	/* A trial may run several programs in turn in its folder. */
	if (t->ran)
		run_result_free(&t->res);
	t->ran = false;
	free(t->cmdline);
	t->cmdline = xstrdup(prog);
	for (size_t i = 0; i < nargs; i++) {
		argv[i + 1] = args[i];
		append_quoted(&t->cmdline, args[i]);
	}
	/* The log exists before the run, writable by the program's uid only:
	 * the library never creates it. */
	unlink(log);
	int fd = open(log, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1 || (sb->own_uid && fchown(fd, sb->uid, sb->gid) == -1))
		die_errno("cannot make the audit log %s", log);
	close(fd);
	/* Without the library (grade --no-audit, for the benchmark) the
	 * variables are set to nothing: the run costs the same otherwise. */
	envv[0] = xasprintf("LD_PRELOAD=%s", g->audit_lib ? g->audit_lib : "");
	envv[1] = xasprintf("MMAPAUDIT_LOG=%s", log);
	if (nenv > 0)
		memcpy(envv + 2, env, nenv * sizeof(*envv));
	/* As root, the page frames of the memory picture (audit/frames.h). */
	struct frames fr;
	bool frames = g->audit_lib && sb->own_uid && frames_start(&fr, t->dir, sb->uid, sb->gid);
	if (frames)
		envv[2 + nenv] = xasprintf("MMAPAUDIT_FRAMES=%s", fr.socket);

	struct run_spec spec = { .path = path, .argv = argv, .env = envv, .dir = t->dir,
				 .limits = g->limits, .sandbox = sb,
				 .binds = (const char *[]){ t->dir, ro_bindir, log,
							    frames ? fr.socket : NULL, NULL } };
	int *slow = strikes(g, lab, prog);
	t->strikes = slow;
	if (*slow >= MAX_STRIKES || access(path, X_OK) == -1) {
		/* Not run: it ran out of time twice already, or was not built. */
		memset(&t->res, 0, sizeof(t->res));
		t->res.end = *slow >= MAX_STRIKES ? RUN_SKIPPED : RUN_NOT_STARTED;
		t->res.out.data = xstrdup("");
		t->res.err.data = xstrdup("");
		snprintf(t->res.error, sizeof(t->res.error), "%s %s", prog,
			 *slow >= MAX_STRIKES ? "ran out of time twice already" : "was not built");
	} else if (run_program(&spec, &t->res) == -1) {
		die("cannot run %s: %s", path, t->res.error);
	}
	t->ran = true;
	if (frames) {
		frames_stop(&fr);
		free((char *)envv[2 + nenv]);
	}
	free((char *)envv[0]);
	free((char *)envv[1]);
	free(envv);
	free(ro_bindir);
	free(log);
	free(path);
	free(argv);
}

/* Adds a finished run to the lab's account: a strike if it ran out of time,
 * what it left behind.  In the grading process, never in a worker. */
static void tally(const struct grader *g, const struct trial *t)
{
	struct leftovers *l = g->left;
	const struct run_result *r = &t->res;

	if (r->end == RUN_TIMEOUT || (r->end == RUN_SIGNALED && r->sig == SIGXCPU))
		(*t->strikes)++;
	if (r->leftover + r->swept.shm_files + r->swept.ipc_objects + r->swept.tmp_files == 0)
		return;
	l->processes += r->leftover;
	l->shm_files += r->swept.shm_files;
	l->ipc_objects += r->swept.ipc_objects;
	l->tmp_files += r->swept.tmp_files;
	if (l->first == NULL)
		l->first = xstrdup(t->cmdline);
}

bool judge_nothing_left(struct check *c, struct leftovers *l)
{
	bool clean = l->first == NULL;

	if (clean) {
		if (c->hint == NULL)	/* not failed already for another reason */
			check_pass(c);
	} else {
		char *seen = xasprintf("after runs such as $ %s:\n%d background processes still "
				       "running were killed; %d /dev/shm files, %d SysV IPC objects "
				       "and %d temporary files were removed", l->first, l->processes,
				       l->shm_files, l->ipc_objects, l->tmp_files);
		check_fail(c, "every process ended, nothing left in /dev/shm, SysV IPC or /tmp", seen,
			   "a program ends with its children (wait for each) and removes what it "
			   "made outside its folder: shm_unlink, IPC_RMID, unlink");
		free(seen);
	}
	free(l->first);
	memset(l, 0, sizeof(*l));
	return clean;
}

/* What the run left to judge, read once every process of it is dead: the
 * calls the audit library saw, and whether it filled its folder. */
static void run_ended(const struct grader *g, struct trial *t)
{
	char *log = xasprintf("%s.audit", t->dir);
	struct statvfs fs;

	audit_log_free(&t->audit);
	if (audit_log_load(log, &t->audit) == -1)
		die_errno("cannot read the audit log %s", log);
	audit_frames_merge(&t->audit, t->dir);
	unlink(log);
	free(log);
	t->folder_full = t->own_fs && statvfs(t->dir, &fs) == 0 &&
			 (fs.f_ffree == 0 || fs.f_bavail == 0);
	tally(g, t);
}

void trial_exec_env(const struct grader *g, struct trial *t, const char *lab,
		    const char *prog, const char *const *args, const char *const *env)
{
	exec_here(g, g->sandbox, t, lab, prog, args, env);
	run_ended(g, t);
}

void trial_exec(const struct grader *g, struct trial *t, const char *lab,
		const char *prog, const char *const *args)
{
	trial_exec_env(g, t, lab, prog, args, NULL);
}

/* A run result as bytes in a file: the fixed part, then the two streams. */
static void save_result(const char *file, const struct run_result *r)
{
	size_t len = sizeof(*r) + r->out.len + r->err.len;
	char *buf = xmalloc(len);

	memcpy(buf, r, sizeof(*r));
	memcpy(buf + sizeof(*r), r->out.data, r->out.len);
	memcpy(buf + sizeof(*r) + r->out.len, r->err.data, r->err.len);
	if (write_file(file, buf, len) == -1)
		die_errno("cannot write %s", file);
	free(buf);
}

static void load_result(const char *file, struct run_result *r)
{
	size_t len;
	char *buf = read_file(file, sizeof(*r) + 2 * (16 << 20), &len);

	if (buf == NULL || len < sizeof(*r))
		die("the worker of a run left no result in %s", file);
	memcpy(r, buf, sizeof(*r));
	if (len != sizeof(*r) + r->out.len + r->err.len)
		die("the worker of a run left a torn result in %s", file);
	r->out.data = xmalloc(r->out.len + 1);
	r->err.data = xmalloc(r->err.len + 1);
	memcpy(r->out.data, buf + sizeof(*r), r->out.len);
	memcpy(r->err.data, buf + sizeof(*r) + r->out.len, r->err.len);
	r->out.data[r->out.len] = r->err.data[r->err.len] = '\0';
	free(buf);
}

void trial_start(const struct grader *g, struct trial *t, const char *lab,
		 const char *prog, const char *const *args, const char *const *env)
{
	/* A uid of its own, so that the sweeps after the other runs do not
	 * touch this one. */
	struct sandbox own;
	sandbox_lend(g->sandbox, g->uids, &own);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == -1)
		die_errno("fork (a worker for %s)", prog);
	if (pid == 0) {
		run_init();	/* a subreaper of its own, for its run */
		sandbox_give(&own, t->dir);
		exec_here(g, &own, t, lab, prog, args, env);
		char *file = xasprintf("%s.result", t->dir);
		save_result(file, &t->res);
		_exit(0);
	}
	run_protect(pid, true);
	t->worker = pid;
	t->worker_uid = own.uid;
	t->strikes = strikes(g, lab, prog);	/* the worker's count is its own copy */
	t->cmdline = xstrdup(prog);
	for (size_t i = 0; args != NULL && args[i] != NULL; i++)
		append_quoted(&t->cmdline, args[i]);
}

void trial_finish(const struct grader *g, struct trial *t)
{
	int status;
	char *file = xasprintf("%s.result", t->dir);

	while (waitpid(t->worker, &status, 0) == -1)
		if (errno != EINTR)
			die_errno("waitpid (a worker)");
	run_protect(t->worker, false);
	sandbox_return(g->uids, t->worker_uid);
	t->worker = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("the worker running %s failed", t->cmdline);
	load_result(file, &t->res);
	t->ran = true;
	run_ended(g, t);
	unlink(file);
	free(file);
}

void trial_keep(struct trial *t, struct trial *keep)
{
	if (keep != NULL)
		*keep = *t;
	else
		trial_free(t);
}

void trial_free(struct trial *t)
{
	if (t->worker != 0)
		die("%s freed while its worker runs: trial_finish() first", t->cmdline);
	/* Its tmpfs goes at once, with all the files in it. */
	if (t->own_fs && umount2(t->dir, MNT_DETACH) == -1)
		die_errno("cannot unmount %s", t->dir);
	if (t->dir != NULL && remove_tree(t->dir) == -1)
		die_errno("cannot remove %s", t->dir);
	if (t->ran)
		run_result_free(&t->res);
	audit_log_free(&t->audit);
	free(t->dir);
	free(t->cmdline);
	memset(t, 0, sizeof(*t));
}

unsigned rand_between(unsigned *state, unsigned lo, unsigned hi)
{
	/* xorshift32: small, seedable, and the same on every machine */
	unsigned x = *state ? *state : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return lo + x % (hi - lo + 1);
}

void rand_word(unsigned *state, char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)('a' + rand_between(state, 0, 25));
	buf[len] = '\0';
}

char *show_output(const struct run_stream *s)
{
	size_t len = s->len;
	char *shown = show_bytes(s->data, len, 2048);

	if (s->total > s->len) {
		char *more = xasprintf("%s... (%zu bytes in all)", shown, s->total);
		free(shown);
		return more;
	}
	return shown;
}

/* How the run ended, with what it printed: the "seen" of a failed check. */
static char *seen(const struct trial *t)
{
	char how[300];
	char *out = show_output(&t->res.out), *err = show_output(&t->res.err);
	char *s = xasprintf("$ %s\n%s%s%s%s%s", t->cmdline,
			    run_describe(&t->res, how, sizeof(how)),
			    *out ? "\nstdout:\n" : "\nstdout: (empty)", out,
			    *err ? "\nstderr:\n" : "", err);
	free(out);
	free(err);
	return s;
}

static const char *signal_hint(int sig)
{
	switch (sig) {
	case SIGBUS:
		return "killed by SIGBUS: an access past the end of the mapped file -- "
		       "was the file made long enough with ftruncate before mmap (pitfall 4)?";
	case SIGSEGV:
		return "killed by SIGSEGV: an access outside any mapping -- was mmap's result "
		       "compared with MAP_FAILED (pitfall 7), was the pointer used after munmap, "
		       "or was a PROT_READ mapping written to?";
	case SIGXCPU:
		return "CPU time limit: the program kept the processor busy -- a loop that never ends?";
	case SIGXFSZ:
		return "file-size limit: the program wrote a file far larger than the lab needs";
	case SIGABRT:
		return "aborted: an assert failed, or the C library found corrupted memory";
	case SIGPIPE:
		return "killed by SIGPIPE: it wrote to a pipe nobody reads";
	case SIGKILL:
		return "killed by SIGKILL: by the program itself or its own process group "
		       "(kill(0, SIGKILL)?), or out of memory";
	default:
		return "killed by a signal: the program crashed";
	}
}

/* A limit of the run layer that a call ran into (seen by the audit library,
 * not injected): the reason behind what the program then did. */
static const char *limit_note(const struct trial *t)
{
	for (size_t i = 0; i < t->audit.n; i++) {
		const struct audit_rec *r = &t->audit.rec[i];
		if (r->injected)
			continue;
		if (r->call == AUDIT_FORK && r->err == EAGAIN)
			return "process limit: fork failed with EAGAIN -- the program made more "
			       "processes than a lab needs (a fork inside a loop?)";
		if (r->call == AUDIT_MMAP && r->err == ENOMEM)
			return "memory limit: mmap failed with ENOMEM -- the program asked for far "
			       "more memory than a lab needs";
		if (r->call == AUDIT_OPEN && r->err == EMFILE)
			return "open-files limit: open failed with EMFILE -- descriptors opened in a "
			       "loop and never closed?";
	}
	if (t->folder_full)
		return "folder limit: the run's folder was full (" XSTR(RUN_FOLDER_FILES) " files, "
		       XSTR(RUN_FOLDER_MIB) " MiB) -- files made in a loop and never removed?";
	return NULL;
}

/* Why a run is not a clean exit 0, as a hint; NULL if it is one. */
static const char *failure_hint(const struct trial *t, char *buf, size_t size)
{
	const struct run_result *r = &t->res;
	const char *limit = limit_note(t);
	char crash[600];

	if (limit != NULL && r->end != RUN_NOT_STARTED && !(r->end == RUN_EXITED && r->code == 0))
		return limit;
	switch (r->end) {
	case RUN_NOT_STARTED:
		return "the program was not built: see the compiler's messages at the top of this lab";
	case RUN_SIGNALED:
		/* The audit library saw where: name the mapping and the offset. */
		if ((r->sig == SIGBUS || r->sig == SIGSEGV) &&
		    audit_crash_line(t, crash, sizeof(crash)) != NULL) {
			snprintf(buf, size, "%s\n%s", crash, signal_hint(r->sig));
			return buf;
		}
		return signal_hint(r->sig);
	case RUN_TIMEOUT:
		snprintf(buf, size, "time limit: still running after %.0f s -- a parent waiting "
			 "for a child that never ends, or a loop that never stops?", r->wall_sec);
		return buf;
	case RUN_INTERRUPTED:
		return "grading was interrupted";
	case RUN_SKIPPED:
		return "not run: this program ran out of time twice in this lab, and each run "
		       "would cost the whole limit -- make it end first (a loop that never stops, "
		       "or a wait for a child that never ends)";
	case RUN_OUTPUT_LIMIT:
		return "output limit: more than 1 MiB printed -- a print inside a loop that never ends?";
	case RUN_EXITED:
		break;
	}
	if (strstr(r->err.data, "not implemented") != NULL)
		return "the skeleton's placeholder is still there: finish the TODOs";
	if (r->code == 0)
		return NULL;
	/* The program's own first line of stderr says best what went wrong. */
	size_t n = strcspn(r->err.data, "\n");
	char *line = show_bytes(r->err.data, n, 200);
	snprintf(buf, size, "it exited %d%s%s", r->code, n ? " saying: " : " without a word on stderr",
		 line);
	free(line);
	return buf;
}

/* Fails c, with expected, unless the run exited 0. */
static bool clean_exit(struct check *c, const struct trial *t, const char *expected)
{
	char buf[1200];
	const char *hint = failure_hint(t, buf, sizeof(buf));

	if (hint == NULL)
		return true;
	char *s = seen(t);
	check_fail(c, expected, s, "%s", hint);
	free(s);
	return false;
}

bool judge_clean_exit(struct check *c, const struct trial *t)
{
	return clean_exit(c, t, "exit 0");
}

/* Lines of s, as pointers into a copy; *n gets the count. */
static char **split_lines(const char *s, size_t *n, char **copy)
{
	*copy = xstrdup(s);
	size_t cap = 8;
	char **v = xmalloc(cap * sizeof(*v));
	*n = 0;
	for (char *p = *copy; *p != '\0';) {
		if (*n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[(*n)++] = p;
		p += strcspn(p, "\n");
		if (*p == '\n')
			*p++ = '\0';
	}
	return v;
}

bool judge_output(struct check *c, const struct trial *t, const char *expected,
		  const char *hint)
{
	char *want = xasprintf("exit 0, stdout:\n%s", *expected ? expected : "(empty)");
	bool clean = clean_exit(c, t, want);
	free(want);
	if (!clean)
		return false;
	const struct run_stream *out = &t->res.out;
	if (out->total == out->len && out->len == strlen(expected) &&
	    memcmp(out->data, expected, out->len) == 0) {
		check_pass(c);
		return true;
	}

	char *shown = show_output(out), *ecopy, *scopy;
	size_t ne, ns;
	char **exp = split_lines(expected, &ne, &ecopy);
	char **got = split_lines(shown, &ns, &scopy);
	char *marked = xasprintf("$ %s", t->cmdline);
	for (size_t i = 0; i < ne || i < ns; i++) {
		const char *mark = i >= ns ? "MISSING" : i >= ne ? "EXTRA  " :
				   strcmp(exp[i], got[i]) == 0 ? "ok     " : "WRONG  ";
		char *next = xasprintf("%s\n%s %s", marked, mark, i < ns ? got[i] : exp[i]);
		free(marked);
		marked = next;
	}
	if (ns == 0) {
		char *next = xasprintf("%s\n(nothing on stdout)", marked);
		free(marked);
		marked = next;
	}
	if (t->res.err.total > 0) {	/* what it said on stderr may say why */
		char *err = show_output(&t->res.err);
		char *next = xasprintf("%s\nstderr:\n%s", marked, err);
		free(err);
		free(marked);
		marked = next;
	}

	/* The mistakes any lab can make, when the lab has no better word. */
	if (hint == NULL) {
		if (ns == ne + 1 && ns > 1 && strcmp(got[0], got[1]) == 0)
			hint = "a line printed twice: it was still in the stdout buffer at fork(), "
			       "and both processes flushed it -- fflush(stdout) before fork()";
		else if (out->len + 1 == strlen(expected) && memcmp(out->data, expected, out->len) == 0)
			hint = "the last line lacks its newline";
		else
			hint = "the output differs from what SPEC asks, line by line above";
	}
	check_fail(c, expected, marked, "%s", hint);
	free(marked);
	free(exp);
	free(got);
	free(ecopy);
	free(scopy);
	free(shown);
	return false;
}

bool judge_refused(struct check *c, const struct trial *t, bool usage)
{
	const struct run_result *r = &t->res;
	const char *expected = usage ? "exit 2, a usage line on stderr, nothing on stdout"
				     : "exit 1 or 2, a message on stderr, nothing on stdout";
	char buf[1200];
	const char *hint = failure_hint(t, buf, sizeof(buf));

	if (r->end == RUN_EXITED && strstr(r->err.data, "not implemented") == NULL) {
		if (r->code == 0)
			hint = usage ? "bad usage was accepted: exit 2 with a usage line on stderr"
				     : "it accepted input it must refuse: say why on stderr and exit 1";
		else if (usage && r->code != 2)
			hint = "bad usage exits 2 (1 is for a call that fails or input refused)";
		else if (!usage && r->code != 1 && r->code != 2)
			hint = "a refusal exits 1 (or 2 for bad usage)";
		else if (r->out.total != 0)
			hint = usage ? "the usage line belongs on stderr, not stdout (the document "
				       "prints it on stdout, where a pipe would take it for data)"
				     : "a refusal prints nothing on stdout: the message goes to stderr";
		else if (r->err.total == 0)
			hint = "it exited without saying why: print a message on stderr";
		else if (usage && strcasestr(r->err.data, "usage") == NULL)
			hint = "print a usage line (\"usage: PROGRAM ...\") on stderr";
		else
			hint = NULL;
	}
	if (hint == NULL) {
		check_pass(c);
		return true;
	}
	char *s = seen(t);
	check_fail(c, expected, s, "%s", hint);
	free(s);
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

bool judge_dir_holds(struct check *c, const struct trial *t, const char *const *names)
{
	DIR *d = opendir(t->dir);
	struct dirent *e;
	char *extra = xstrdup(""), *missing = xstrdup("");
	char *found[64];
	size_t nfound = 0;

	if (d == NULL)
		die_errno("opendir %s", t->dir);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (nfound < sizeof(found) / sizeof(found[0]))
			found[nfound++] = show_bytes(e->d_name, strlen(e->d_name), 100);
	}
	closedir(d);
	qsort(found, nfound, sizeof(found[0]), by_name);
	for (size_t i = 0; i < nfound; i++) {
		bool wanted = false;
		for (const char *const *n = names; *n != NULL; n++)
			wanted |= strcmp(*n, found[i]) == 0;
		if (!wanted) {
			char *next = xasprintf("%s %s", extra, found[i]);
			free(extra);
			extra = next;
		}
	}
	for (const char *const *n = names; *n != NULL; n++) {
		bool there = false;
		for (size_t i = 0; i < nfound; i++)
			there |= strcmp(*n, found[i]) == 0;
		if (!there) {
			char *next = xasprintf("%s %s", missing, *n);
			free(missing);
			missing = next;
		}
	}
	bool ok = *extra == '\0' && *missing == '\0';
	if (ok) {
		check_pass(c);
	} else {
		char *want = xstrdup("");
		for (const char *const *n = names; *n != NULL; n++) {
			char *next = xasprintf("%s %s", want, *n);
			free(want);
			want = next;
		}
		char *exp = xasprintf("the run directory holds:%s", *want ? want : " nothing");
		char *act = xasprintf("$ %s\n%s%s%s%s", t->cmdline, *extra ? "left behind:" : "",
				      extra, *missing ? "\nmissing:" : "", missing);
		check_fail(c, exp, act, "%s", *extra ? "files left behind in the working directory: "
			   "a temporary file must be unlinked (it lives on while the descriptor "
			   "or the mapping is open)" : "a file the program must make is not there");
		free(want);
		free(exp);
		free(act);
	}
	for (size_t i = 0; i < nfound; i++)
		free(found[i]);
	free(extra);
	free(missing);
	return ok;
}

void refusals_start(const struct grader *g, struct refusals *r, const char *lab,
		    const char *prog, bool usage, const char *const *const *runs)
{
	r->n = 0;
	r->usage = usage;
	for (; *runs != NULL; runs++) {
		if (r->n == MAX_REFUSALS)
			die("more than %d refusal runs of %s", MAX_REFUSALS, prog);
		struct trial *t = &r->t[r->n++];
		trial_init(g, t);
		trial_start(g, t, lab, prog, *runs, NULL);
	}
}

void judge_refusals(const struct grader *g, struct check *c, struct refusals *r)
{
	bool refused = c != NULL;

	for (size_t i = 0; i < r->n; i++) {
		trial_finish(g, &r->t[i]);
		if (refused)
			refused = judge_refused(c, &r->t[i], r->usage);
		trial_free(&r->t[i]);
	}
}
