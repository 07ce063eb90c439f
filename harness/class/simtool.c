/*
 * simtool.c: runs sim_c (see simtool.h).  It runs on copies in a folder of
 * the grader's, named by number, with fixed arguments, never through a
 * shell; its output is parsed as data: a line that is not one of the two
 * shapes expected is skipped.
 */
#define _GNU_SOURCE
#include "class/simtool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lang/lang.h"
#include "run/sys.h"

extern char **environ;

/* Of sim_c's output: a class of 400 all alike writes about 13 MB. */
#define SIM_OUTPUT_MAX (64u << 20)

static void write_or_die(const char *path, const char *data, size_t len)
{
	if (write_file(path, data, len) == -1)
		die_errno("cannot write %s", path);
}

int sim_start(struct sim_job *j, const char *parent, const char *const *texts,
	      const size_t *lens, size_t nnew, size_t nold, bool old_only)
{
	char *list = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&list, &size);

	memset(j, 0, sizeof(*j));
	j->dir = make_temp_dir(parent, "sim");
	j->nnew = nnew;
	j->nold = nold;
	j->old_only = old_only;
	if (f == NULL)
		die_errno("open_memstream");
	for (size_t i = 0; i < nnew + nold; i++) {
		char *path = xasprintf("%s/%zu.c", j->dir, i);
		write_or_die(path, texts[i], lens[i]);
		free(path);
		fprintf(f, "%s%zu.c\n", i == nnew ? "/\n" : "", i);
	}
	if (fclose(f) != 0)
		die("out of memory");
	char *path = xasprintf("%s/files", j->dir);
	write_or_die(path, list, size);
	free(path);
	free(list);

	/* -e: each pair on its own (exact percentages); -n: places, not text;
	 * -s: not a file against itself (-S implies it, and refuses it). */
	char *const argv[] = { "sim_c", "-e", "-n", "-r", XSTR(SIM_MIN_RUN), "-i",
			       old_only ? "-S" : "-s", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;

	sigemptyset(&none);
	sigemptyset(&dfl);
	for (const int *sig = (const int[]){ SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, 0 };
	     *sig != 0; sig++)
		sigaddset(&dfl, *sig);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, j->dir);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "files", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "out", O_WRONLY | O_CREAT | O_EXCL, 0600);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "err", O_WRONLY | O_CREAT | O_EXCL, 0600);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int e = posix_spawnp(&j->pid, "sim_c", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (e != 0)
		j->pid = 0;
	return e;
}

/* "12.c" is file 12 of the job; anything else is not ours. */
static bool file_number(const struct sim_job *j, const char *name, size_t *n)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(name, &end, 10);
	if (name[0] < '0' || name[0] > '9' || strcmp(end, ".c") != 0 || errno ||
	    v >= j->nnew + j->nold)
		return false;
	*n = v;
	return true;
}

static void parse(struct sim_job *j, char *out)
{
	char *save = NULL;

	for (char *line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char a[32], b[32];
		size_t fa, fb, tokens;
		struct sim_match m;
		if (sscanf(line, "File %31[^:]: %zu tokens", a, &tokens) == 2 && file_number(j, a, &fa)) {
			j->tokens[fa] = tokens;
		} else if (sscanf(line, "%31[^:]: line %zu-%zu |%31[^:]: line %zu-%zu [%zu]", a, &m.from_a,
				  &m.to_a, b, &m.from_b, &m.to_b, &m.tokens) == 7 &&
			   file_number(j, a, &fa) && file_number(j, b, &fb) && fa != fb &&
			   m.from_a <= m.to_a && m.from_b <= m.to_b) {
			m.fa = fa;
			m.fb = fb;
			j->match = xrealloc(j->match, (j->nmatch + 1) * sizeof(*j->match));
			j->match[j->nmatch++] = m;
		}
	}
}

void sim_finish(struct sim_job *j, int status)
{
	char *path = xasprintf("%s/out", j->dir);
	size_t len;
	size_t n = j->nnew + j->nold;
	char *out = read_file(path, SIM_OUTPUT_MAX, &len);

	free(path);
	j->pid = 0;
	j->tokens = xcalloc(n + 1, sizeof(*j->tokens));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out == NULL) {
		path = xasprintf("%s/err", j->dir);
		char *err = read_file(path, 300, &len);
		free(path);
		if (err != NULL)
			err[strcspn(err, "\n")] = '\0';
		j->error = xasprintf(_("sim_c failed (%s%d)%s%s"),
				     WIFEXITED(status) ? _("exit ") : _("signal "),
				     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
				     err && *err ? ": " : "", err ? err : "");
		free(err);
		free(out);
		return;
	}
	parse(j, out);
	free(out);
}

void sim_kill(struct sim_job *j)
{
	if (j->pid <= 0)
		return;
	kill(j->pid, SIGKILL);
	while (waitpid(j->pid, NULL, 0) == -1 && errno == EINTR)
		;
	j->pid = 0;
}

void sim_free(struct sim_job *j)
{
	sim_kill(j);
	if (j->dir != NULL)
		remove_tree(j->dir);
	free(j->dir);
	free(j->tokens);
	free(j->match);
	free(j->error);
	memset(j, 0, sizeof(*j));
}
