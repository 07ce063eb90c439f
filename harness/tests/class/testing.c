/*
 * testing.c: what the class tests share (see testing.h): running programs
 * with their output in a file, reading files, listing folders.
 */
#define _GNU_SOURCE
#include "testing.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/sys.h"

extern char **environ;

pid_t spawn(const char *const argv[], const char *log, bool own_group)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawnattr_init(&at);
	if (own_group) {	/* as a shell's job: a terminal's Ctrl-C reaches the group */
		posix_spawnattr_setpgroup(&at, 0);
		posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	}
	int e = posix_spawn(&pid, argv[0], &fa, &at, (char *const *)argv, environ);
	if (e != 0)
		die("cannot run %s: %s", argv[0], strerror(e));
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return pid;
}

int wait_for(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			die_errno("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

char *slurp(const char *path)
{
	size_t len;
	char *text = read_file(path, 64 << 20, &len);

	if (text == NULL)
		die_errno("cannot read %s", path);
	return text;
}

int run(const char *const argv[], char **output)
{
	char *log = xasprintf("%s/run.log", work);
	int status = wait_for(spawn(argv, log, false));

	if (output != NULL)
		*output = slurp(log);
	free(log);
	return status;
}

json_t *load(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);

	ck_assert_msg(j != NULL, "%s: %s", path, e.text);
	return j;
}

bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

char *listing(const char *dir)
{
	char *out, *cmd = xasprintf("cd '%s' && find . -printf '%%p %%y %%m %%s %%T@ %%C@ %%l\\n' "
				    "| LC_ALL=C sort && find . -type f -exec md5sum {} + | LC_ALL=C sort",
				    dir);
	if (RUN(&out, "/bin/sh", "-c", cmd) != 0)
		die("cannot list %s: %s", dir, out);
	free(cmd);
	return out;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **students(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **ids = NULL;

	ck_assert_msg(d != NULL, "%s: %s", dir, strerror(errno));
	*n = 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && e->d_type == DT_DIR) {
			ids = xrealloc(ids, (*n + 1) * sizeof(*ids));
			ids[(*n)++] = xstrdup(e->d_name);
		}
	closedir(d);
	qsort(ids, *n, sizeof(*ids), cmp_str);
	return ids;
}

int run_suite(Suite *s, const char *name)
{
	SRunner *sr = srunner_create(s);

	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed == 0)
		remove_tree(work);
	else
		printf("%s: the class and its results are kept in %s\n", name, work);
	return failed == 0 ? 0 : 1;
}
