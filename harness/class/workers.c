/*
 * workers.c: the scheduler of a class run.  The parent forks one worker per
 * student, at most `jobs` at a time; a worker is a grader of its own
 * (run_init, grade_submission, its own $TMPDIR folders), so a student's
 * hang, crash or compile error ends in that worker and nowhere else.
 *
 * Signals reach the parent through sigtimedwait() (they stay blocked), so a
 * Ctrl-C is handled in the main loop, not in a handler: workers are told to
 * stop (SIGTERM: their run_interrupt() kills the program under way and
 * removes their folders), and are killed if they do not within 10 s.
 */
#define _GNU_SOURCE
#include "class/workers.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "class/progress.h"
#include "class/records.h"
#include "labs/grading.h"
#include "lang/lang.h"
#include "report/report.h"
#include "run/run.h"
#include "run/sys.h"

#define WORKER_INTERRUPTED 3	/* a worker's exit status: stopped, nothing written */
#define STOP_GRACE 10.0		/* seconds a worker has to stop before SIGKILL */

static void on_signal(int sig)
{
	(void)sig;
	run_interrupt();
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
	/* The report the class page links to, whatever the format. */
	if (c->ext == NULL || strcmp(c->ext, "html") != 0) {
		char *text = report_html(&r, false);
		char *path = xasprintf("%s/%s.html", c->students, s->id);
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
	pid_t pid = xfork();	/* patient: a student's fork bomb may hold the uid's processes */
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
		snprintf(how, sizeof(how), _("exit %d"), WEXITSTATUS(status));
	else
		snprintf(how, sizeof(how), _("killed by SIG%s"), sigabbrev_np(WTERMSIG(status)) ?
			 sigabbrev_np(WTERMSIG(status)) : "?");
	if (log != NULL) {
		size_t len;
		char *text = read_file(log, sizeof(first) - 1, &len);
		if (text != NULL) {
			snprintf(first, sizeof(first), ": %.*s", (int)strcspn(text, "\n"), text);
			free(text);
		}
	}
	say(c, _("grade: %s: NOT GRADED, the grader failed (%s)%s%s%s"), s->id, how, first,
	    log ? _("; log in ") : "", log ? log : "");
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
				snprintf(note, sizeof(note), _(", %s did not compile"), broken);
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
	say(c, _("grade: interrupted: stopping %zu worker%s; finished results are kept"),
	    c->running, c->running == 1 ? "" : "s");
	for (size_t i = 0; i < c->n; i++)
		if (c->s[i].state == RUNNING)
			kill(c->s[i].pid, SIGTERM);
}

/* Until every student is graded, or the run is stopped. */
void schedule(struct class *c, const sigset_t *signals)
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
			say(c, _("grade: workers did not stop within %.0f s: killed"), STOP_GRACE);
			kill_all_children(c);
		}
	}
}
