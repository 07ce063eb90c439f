/*
 * trial.c: one run of a student's program (see trial.h): its folder, its
 * audit log, the worker that runs it beside the lab's others, and what it
 * adds to the lab's account of time-outs and leftovers.
 */
#define _GNU_SOURCE
#include "labs/trial.h"

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

#include "audit/frames.h"
#include "audit/memory.h"
#include "lang/lang.h"
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

char *trial_cmdline(const char *prog, const char *const *args)
{
	char *line = xstrdup(prog);

	for (size_t i = 0; args != NULL && args[i] != NULL; i++)
		append_quoted(&line, args[i]);
	return line;
}

/* Runs prog in t->dir, in this process (the worker); the audit log is
 * t->dir + ".audit". */
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
	memcpy(argv + 1, args, nargs * sizeof(*argv));
	/* The log exists before the run, writable by the program's uid only:
	 * the library never creates it. */
	unlink(log);
	int fd = open(log, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1 || (sb->own_uid && fchown(fd, sb->uid, sb->gid) == -1))
		die_errno(_("cannot make the audit log %s"), log);
	close(fd);
	/* Without the library (grade --no-audit, for the benchmark) the
	 * variables are set to nothing: the run costs the same otherwise. */
	envv[0] = xasprintf("LD_PRELOAD=%s", g->audit_lib ? g->audit_lib : "");
	envv[1] = xasprintf("MMAPAUDIT_LOG=%s", log);
	if (nenv > 0)
		memcpy(envv + 2, env, nenv * sizeof(*envv));
	/* As root, the page frames of the memory picture (audit/frames.h). */
	struct frames fr;
	bool frames = g->audit_lib && sb->own_uid && memory_asked(env) &&
		      frames_start(&fr, t->dir, sb->uid, sb->gid);
	envv[2 + nenv] = frames ? xasprintf("MMAPAUDIT_FRAMES=%s", fr.socket) : NULL;

	struct run_spec spec = { .path = path, .argv = argv, .env = envv, .dir = t->dir,
				 .limits = g->limits, .sandbox = sb,
				 .binds = (const char *[]){ t->dir, ro_bindir, log,
							    frames ? fr.socket : NULL, NULL } };
	if (access(path, X_OK) == -1) {
		memset(&t->res, 0, sizeof(t->res));
		t->res.end = RUN_NOT_STARTED;
		t->res.out.data = xstrdup("");
		t->res.err.data = xstrdup("");
		snprintf(t->res.error, sizeof(t->res.error), _("%s was not built"), prog);
	} else if (run_program(&spec, &t->res) == -1) {
		die(_("cannot run %s: %s"), path, t->res.error);
	}
	if (frames)
		frames_stop(&fr);
	free((char *)envv[2 + nenv]);
	free((char *)envv[0]);
	free((char *)envv[1]);
	free(envv);
	free(ro_bindir);
	free(log);
	free(path);
	free(argv);
}

/* Adds what a finished run left behind to the lab's account.  In the
 * grading process, never in a worker. */
static void tally(const struct grader *g, const struct trial *t)
{
	struct leftovers *l = g->left;
	const struct run_result *r = &t->res;

	if (r->leftover + r->swept.shm_files + r->swept.ipc_objects + r->swept.tmp_files == 0)
		return;
	l->processes += r->leftover;
	l->shm_files += r->swept.shm_files;
	l->ipc_objects += r->swept.ipc_objects;
	l->tmp_files += r->swept.tmp_files;
	if (l->first == NULL)
		l->first = xstrdup(t->cmdline);
}

/* What the run left to judge, read once every process of it is dead: the
 * calls the audit library saw, and whether it filled its folder. */
static void run_ended(const struct grader *g, struct trial *t)
{
	char *log = xasprintf("%s.audit", t->dir);
	struct statvfs fs;

	audit_log_free(&t->audit);
	if (audit_log_load(log, &t->audit) == -1)
		die_errno(_("cannot read the audit log %s"), log);
	audit_frames_merge(&t->audit, t->dir);
	unlink(log);
	free(log);
	t->folder_full = t->own_fs && statvfs(t->dir, &fs) == 0 &&
			 (fs.f_ffree == 0 || fs.f_bavail == 0);
	tally(g, t);
}

/* A run result as bytes in a file: the step it is of, the fixed part, then
 * the two streams. */
static void save_result(const char *file, int step, const struct run_result *r)
{
	size_t len = sizeof(step) + sizeof(*r) + r->out.len + r->err.len;
	char *buf = xmalloc(len), *p = buf;

	memcpy(p, &step, sizeof(step));
	memcpy(p += sizeof(step), r, sizeof(*r));
	memcpy(p += sizeof(*r), r->out.data, r->out.len);
	memcpy(p + r->out.len, r->err.data, r->err.len);
	if (write_file(file, buf, len) == -1)
		die_errno(_("cannot write %s"), file);
	free(buf);
}

static int load_result(const char *file, struct run_result *r)
{
	size_t len;
	int step;
	char *buf = read_file(file, sizeof(step) + sizeof(*r) + 2 * (16 << 20), &len), *p = buf;

	if (buf == NULL || len < sizeof(step) + sizeof(*r))
		die(_("the worker of a run left no result in %s"), file);
	memcpy(&step, p, sizeof(step));
	memcpy(r, p += sizeof(step), sizeof(*r));
	if (len != sizeof(step) + sizeof(*r) + r->out.len + r->err.len)
		die(_("the worker of a run left a torn result in %s"), file);
	r->out.data = xmalloc(r->out.len + 1);
	r->err.data = xmalloc(r->err.len + 1);
	memcpy(r->out.data, p += sizeof(*r), r->out.len);
	memcpy(r->err.data, p + r->out.len, r->err.len);
	r->out.data[r->out.len] = r->err.data[r->err.len] = '\0';
	free(buf);
	return step;
}

/* In the worker: each step in turn while the last exited 0; the result is
 * the last step's, with what the earlier ones left behind added to it. */
static int exec_steps(const struct grader *g, const struct sandbox *sb, struct trial *t,
		      const char *lab, const struct trial_step *steps, size_t n,
		      const char *const *env)
{
	int step = 0;

	exec_here(g, sb, t, lab, steps[0].prog, steps[0].args, env);
	while ((size_t)step + 1 < n && t->res.end == RUN_EXITED && t->res.code == 0) {
		struct run_result before = t->res;
		step++;
		exec_here(g, sb, t, lab, steps[step].prog, steps[step].args, env);
		t->res.leftover += before.leftover;
		t->res.swept.shm_files += before.swept.shm_files;
		t->res.swept.ipc_objects += before.swept.ipc_objects;
		t->res.swept.tmp_files += before.swept.tmp_files;
		run_result_free(&before);
	}
	return step;
}

void trial_start(const struct grader *g, struct trial *t, const char *lab,
		 const struct trial_step *steps, size_t n, const char *const *env)
{
	/* A uid of its own, so that the sweeps after the other runs do not
	 * touch this one. */
	struct sandbox own;
	sandbox_lend(g->sandbox, g->uids, &own);
	fflush(NULL);
	pid_t pid = xfork();	/* patient: a fork bomb beside may hold the uid's processes */
	if (pid == -1)
		die_errno(_("fork (a worker for %s)"), steps[0].prog);
	if (pid == 0) {
		run_init();	/* a subreaper of its own, for its run */
		sandbox_give(&own, t->dir);
		int step = exec_steps(g, &own, t, lab, steps, n, env);
		char *file = xasprintf("%s.result", t->dir);
		save_result(file, step, &t->res);
		_exit(0);
	}
	run_protect(pid, true);
	t->worker = pid;
	t->worker_uid = own.uid;
	t->steps = steps;
	t->cmdline = trial_cmdline(steps[0].prog, steps[0].args);
}

void trial_finish(const struct grader *g, struct trial *t)
{
	int status;
	char *file = xasprintf("%s.result", t->dir);

	while (waitpid(t->worker, &status, 0) == -1)
		if (errno != EINTR)
			die_errno(_("waitpid (a worker)"));
	run_protect(t->worker, false);
	sandbox_return(g->uids, t->worker_uid);
	t->worker = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die(_("the worker running %s failed"), t->cmdline);
	t->step = load_result(file, &t->res);
	t->ran = true;
	if (t->step > 0) {
		free(t->cmdline);
		t->cmdline = trial_cmdline(t->steps[t->step].prog, t->steps[t->step].args);
	}
	run_ended(g, t);
	unlink(file);
	free(file);
}

void trial_free(struct trial *t)
{
	if (t->worker != 0)
		die(_("%s freed while its worker runs: trial_finish() first"), t->cmdline);
	/* Its tmpfs goes at once, with all the files in it. */
	if (t->own_fs && umount2(t->dir, MNT_DETACH) == -1)
		die_errno(_("cannot unmount %s"), t->dir);
	if (t->dir != NULL && remove_tree(t->dir) == -1)
		die_errno(_("cannot remove %s"), t->dir);
	if (t->ran)
		run_result_free(&t->res);
	audit_log_free(&t->audit);
	free(t->dir);
	free(t->cmdline);
	memset(t, 0, sizeof(*t));
}

struct audited_run trial_audited(const struct trial *t)
{
	return (struct audited_run){ .cmdline = t->cmdline, .res = &t->res, .log = &t->audit };
}
