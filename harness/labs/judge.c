/*
 * judge.c: the judgments every lab makes of a run (see judge.h): how it
 * ended, what it printed, what it left in its folder and outside it.
 */
#define _GNU_SOURCE
#include "labs/judge.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/checks.h"
#include "lang/lang.h"
#include "run/sys.h"

bool judge_nothing_left(struct check *c, struct leftovers *l)
{
	bool clean = l->first == NULL;

	if (clean) {
		if (c->hint == NULL)	/* not failed already for another reason */
			check_pass(c);
	} else {
		char *seen = xasprintf(_("after runs such as $ %s:\n%d background processes still "
				       "running were killed; %d /dev/shm files, %d SysV IPC objects "
				       "and %d temporary files were removed"), l->first, l->processes,
				       l->shm_files, l->ipc_objects, l->tmp_files);
		check_fail(c, _("every process ended, nothing left in /dev/shm, SysV IPC or /tmp"), seen,
			   _("a program ends with its children (wait for each) and removes what it "
			   "made outside its folder: shm_unlink, IPC_RMID, unlink"));
		free(seen);
	}
	free(l->first);
	memset(l, 0, sizeof(*l));
	return clean;
}

char *show_output(const struct run_stream *s)
{
	size_t len = s->len;
	char *shown = show_bytes(s->data, len, 2048);

	if (s->total > s->len) {
		char *more = xasprintf(_("%s... (%zu bytes in all)"), shown, s->total);
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
			    *out ? "\nstdout:\n" : _("\nstdout: (empty)"), out,
			    *err ? "\nstderr:\n" : "", err);
	free(out);
	free(err);
	return s;
}

static const char *signal_hint(int sig)
{
	switch (sig) {
	case SIGBUS:
		return _("killed by SIGBUS: an access past the end of the mapped file -- "
		       "was the file made long enough with ftruncate before mmap (pitfall 4)?");
	case SIGSEGV:
		return _("killed by SIGSEGV: an access outside any mapping -- was mmap's result "
		       "compared with MAP_FAILED (pitfall 7), was the pointer used after munmap, "
		       "or was a PROT_READ mapping written to?");
	case SIGXCPU:
		return _("CPU time limit: the program kept the processor busy -- a loop that never ends?");
	case SIGXFSZ:
		return _("file-size limit: the program wrote a file far larger than the lab needs");
	case SIGABRT:
		return _("aborted: an assert failed, or the C library found corrupted memory");
	case SIGPIPE:
		return _("killed by SIGPIPE: it wrote to a pipe nobody reads");
	case SIGKILL:
		return _("killed by SIGKILL: by the program itself or its own process group "
		       "(kill(0, SIGKILL)?), or out of memory");
	default:
		return _("killed by a signal: the program crashed");
	}
}

/* Said of a run killed with nothing on stdout. */
static const char *lost_output(void)
{
	return _("\nstdout is empty: whatever it printed was still in stdio's buffer when it was "
		 "killed, and was lost when it was killed -- stdout to a pipe is fully buffered, "
		 "unlike a terminal's (fflush(stdout) after each line shows it)");
}

/* A SIGBUS: past the end of a mapped file.  A program that maps a file it
 * only reads must check the file's size; one that writes it must size it. */
static const char *sigbus_hint(const struct audit_log *log)
{
	int pid = audit_main_pid(log);
	bool writes = false, creates = false;

	for (size_t i = 0; i < log->n; i++) {
		const struct audit_rec *r = &log->rec[i];
		if (r->pid != pid || r->err != 0)
			continue;
		if (r->call == AUDIT_MMAP && r->arg[AUDIT_MMAP_FD] >= 0 &&
		    (r->arg[AUDIT_MMAP_PROT] & PROT_WRITE))
			writes = true;
		if (r->call == AUDIT_OPEN && (r->arg[AUDIT_OPEN_FLAGS] & O_CREAT))
			creates = true;
	}
	if (writes)
		return signal_hint(SIGBUS);
	if (creates)
		return _("killed by SIGBUS: it created the file it maps (O_CREAT) and mapped it empty "
			 "-- a reader opens an existing file without O_CREAT, then checks its size "
			 "(fstat) against what it maps, and refuses a file too short (exit 1)");
	return _("killed by SIGBUS: the file is shorter than the mapping (pitfall 4) -- check "
		 "its size with fstat before mapping, and refuse a file too short (exit 1)");
}

/* A limit of the run layer that a call ran into (seen by the audit library,
 * not injected): the reason behind what the program then did. */
static const char *limit_note(const struct trial *t, char *buf, size_t size)
{
	for (size_t i = 0; i < t->audit.n; i++) {
		const struct audit_rec *r = &t->audit.rec[i];
		if (r->injected)
			continue;
		if (r->call == AUDIT_FORK && r->err == EAGAIN)
			return _("process limit: fork failed with EAGAIN -- the program made more "
			       "processes than a lab needs (a fork inside a loop?)");
		if (r->call == AUDIT_MMAP && r->err == ENOMEM)
			return _("memory limit: mmap failed with ENOMEM -- the program asked for far "
			       "more memory than a lab needs");
		if (r->call == AUDIT_OPEN && r->err == EMFILE)
			return _("open-files limit: open failed with EMFILE -- descriptors opened in a "
			       "loop and never closed?");
	}
	if (t->folder_full) {
		snprintf(buf, size, _("folder limit: the run's folder was full (%d files, %d MiB) -- "
				      "files made in a loop and never removed?"), RUN_FOLDER_FILES,
			 RUN_FOLDER_MIB);
		return buf;
	}
	return NULL;
}

/* Why a run is not a clean exit 0, as a hint; NULL if it is one. */
static const char *failure_hint(const struct trial *t, char *buf, size_t size)
{
	const struct run_result *r = &t->res;
	const char *limit = limit_note(t, buf, size);
	char crash[600];

	if (limit != NULL && r->end != RUN_NOT_STARTED && !(r->end == RUN_EXITED && r->code == 0))
		return limit;
	switch (r->end) {
	case RUN_NOT_STARTED:
		return _("the program was not built: see the compiler's messages at the top of this lab");
	case RUN_SIGNALED:
		/* The audit library saw where: name the mapping and the offset. */
		if ((r->sig == SIGBUS || r->sig == SIGSEGV) &&
		    audit_crash_line(&t->audit, crash, sizeof(crash)) != NULL) {
			snprintf(buf, size, "%s\n%s", crash, r->sig == SIGBUS ? sigbus_hint(&t->audit)
									: signal_hint(r->sig));
			return buf;
		}
		if (r->sig == SIGXCPU && r->out.total == 0) {
			snprintf(buf, size, "%s%s", signal_hint(r->sig), lost_output());
			return buf;
		}
		return r->sig == SIGBUS ? sigbus_hint(&t->audit) : signal_hint(r->sig);
	case RUN_TIMEOUT:
		snprintf(buf, size, _("time limit: still running after %.0f s -- a parent waiting "
				      "for a child that never ends, or a loop that never stops?%s"),
			 r->wall_sec, r->out.total == 0 ? lost_output() : "");
		return buf;
	case RUN_INTERRUPTED:
		return _("grading was interrupted");
	case RUN_SKIPPED:
		return _("not run");
	case RUN_OUTPUT_LIMIT:
		return _("output limit: more than 1 MiB printed -- a print inside a loop that never ends?");
	case RUN_EXITED:
		break;
	}
	if (strstr(r->err.data, "not implemented") != NULL)
		return _("the skeleton's placeholder is still there: finish the TODOs");
	if (r->code == 0)
		return NULL;
	/* The program's own first line of stderr says best what went wrong. */
	size_t n = strcspn(r->err.data, "\n");
	char *line = show_bytes(r->err.data, n, 200);
	snprintf(buf, size, _("it exited %d%s%s"), r->code, n ? _(" saying: ") : _(" without a word on stderr"),
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
	return clean_exit(c, t, _("exit 0"));
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

/* Levenshtein distance of a[0..n) and b[0..m), up to 64 bytes each. */
static size_t distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t row[65];

	for (size_t j = 0; j <= m; j++)
		row[j] = j;
	for (size_t i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[m];
}

bool near_miss(const char *out, const char *expected, char *buf, size_t size)
{
	for (const char *e = expected; *e != '\0'; e += strcspn(e, "\n"), e += *e == '\n') {
		size_t en = strcspn(e, "\n");
		bool there = false;
		const char *best = NULL;
		size_t bn = 0, bd = 4;
		for (const char *o = out; *o != '\0' && !there; o += strcspn(o, "\n"), o += *o == '\n') {
			size_t on = strcspn(o, "\n");
			there = on == en && memcmp(o, e, en) == 0;
			if (!there && en >= 5 && en <= 64 && on <= 64) {
				size_t d = distance(o, on, e, en);
				if (d < bd)
					best = o, bn = on, bd = d;
			}
		}
		if (there || best == NULL)
			continue;
		size_t at = 0;
		while (at < bn && at < en && best[at] == e[at])
			at++;
		char *seen = show_bytes(best, bn, 100), *want = show_bytes(e, en, 100);
		char *got_c = show_bytes(best + at, at < bn ? 1 : 0, 8);
		char *want_c = show_bytes(e + at, at < en ? 1 : 0, 8);
		snprintf(buf, size, _("a near miss, character by character:\n  printed:  %s\n  "
				      "expected: %s\n            %*s^ character %zu is '%s' where "
				      "'%s' is expected"), seen, want, (int)at, "", at + 1,
			 *got_c ? got_c : _("the end of the line"), *want_c ? want_c : _("the end"));
		free(seen);
		free(want);
		free(got_c);
		free(want_c);
		return true;
	}
	return false;
}

bool judge_output(struct check *c, const struct trial *t, const char *expected,
		  const char *hint)
{
	char buf[800];
	char *want = xasprintf(_("exit 0, stdout:\n%s"), *expected ? expected : "(empty)");
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
		char *next = xasprintf(_("%s\n(nothing on stdout)"), marked);
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
			hint = _("a line printed twice: it was still in the stdout buffer at fork(), "
			       "and both processes flushed it -- fflush(stdout) before fork()");
		else if (out->len + 1 == strlen(expected) && memcmp(out->data, expected, out->len) == 0)
			hint = _("the last line lacks its newline");
		else
			hint = near_miss(out->data, expected, buf, sizeof(buf)) ? buf :
			       _("the output differs, line by line above, from what the lab's "
				 "README.md asks (\"What the grader checks\")");
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
	const char *expected = usage ? _("exit 2, a usage line on stderr, nothing on stdout")
				     : _("exit 1 or 2, a message on stderr, nothing on stdout");
	char buf[1200];
	const char *hint = failure_hint(t, buf, sizeof(buf));

	if (r->end == RUN_EXITED && strstr(r->err.data, "not implemented") == NULL) {
		if (r->code == 0)
			hint = usage ? _("bad usage was accepted: exit 2 with a usage line on stderr")
				     : _("it accepted input it must refuse: say why on stderr and exit 1");
		else if (usage && r->code != 2)
			hint = _("bad usage exits 2 (1 is for a call that fails or input refused)");
		else if (!usage && r->code != 1 && r->code != 2)
			hint = _("a refusal exits 1 (or 2 for bad usage)");
		else if (r->out.total != 0)
			hint = usage ? _("the usage line belongs on stderr, not stdout (the document "
				       "prints it on stdout, where a pipe would take it for data)")
				     : _("a refusal prints nothing on stdout: the message goes to stderr");
		else if (r->err.total == 0)
			hint = _("it exited without saying why: print a message on stderr");
		else if (usage && strcasestr(r->err.data, "usage") == NULL)
			hint = _("print a usage line (\"usage: PROGRAM ...\") on stderr");
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
		die_errno(_("opendir %s"), t->dir);
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
		char *exp = xasprintf(_("the run directory holds:%s"), *want ? want : _(" nothing"));
		char *act = xasprintf("$ %s\n%s%s%s%s", t->cmdline, *extra ? _("left behind:") : "",
				      extra, *missing ? "\nmissing:" : "", missing);
		check_fail(c, exp, act, "%s", *extra ? _("files left behind in the working directory: "
			   "a temporary file must be unlinked (it lives on while the descriptor "
			   "or the mapping is open)") : _("a file the program must make is not there"));
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

