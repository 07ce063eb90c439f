/*
 * build.c: copy a lab's sources out of the submission and compile them.
 *
 * Only regular .c and .h files are copied, never through a link, so the
 * compile sees nothing of the submission's surroundings: `#include "../x"`
 * finds nothing, and the submission itself is never written.
 */
#define _GNU_SOURCE
#include "labs/build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang/lang.h"
#include "run/sys.h"

#define MAX_SOURCE (1024 * 1024)	/* a lab's source file is a few KiB */

static void log_append(struct lab_result *lab, const char *fmt, const char *arg)
{
	char *line = xasprintf(fmt, arg);
	char *next = xasprintf("%s%s", lab->build_log ? lab->build_log : "", line);

	free(line);
	free(lab->build_log);
	lab->build_log = next;
}

static bool is_source(const char *name)
{
	size_t n = strlen(name);

	return n > 2 && n < 100 && name[0] != '.' && name[n - 2] == '.' &&
	       (name[n - 1] == 'c' || name[n - 1] == 'h') &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* Copies the lab's sources; false (and a log line) if the folder is unusable. */
static bool copy_sources(const char *from, const char *to, struct lab_result *lab)
{
	int in = open(from, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (in == -1) {
		log_append(lab, _("cannot open the lab's folder %s"), from);
		log_append(lab, ": %s\n", strerror(errno));
		return false;
	}
	if (mkdir(to, 0700) == -1)
		die_errno(_("mkdir %s"), to);
	int out = open(to, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (out == -1)
		die_errno(_("open %s"), to);
	DIR *d = fdopendir(in);
	if (d == NULL)
		die_errno(_("fdopendir %s"), from);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!is_source(e->d_name))
			continue;
		if (copy_file(dirfd(d), e->d_name, out, MAX_SOURCE) == -1) {
			/* a link, a device, or a file of megabytes: not a source */
			log_append(lab, _("skipped %s"), e->d_name);
			log_append(lab, ": %s\n", errno == EFBIG ? _("larger than 1 MiB") :
				   errno == ELOOP ? _("a symbolic link") : strerror(errno));
		}
	}
	closedir(d);
	close(out);
	return true;
}

/* A program in the grader's PATH, or NULL. */
static char *find_in_path(const char *name)
{
	const char *dirs = getenv("PATH");
	char *copy = xstrdup(dirs && *dirs ? dirs : "/usr/bin:/bin"), *save = NULL, *found = NULL;

	for (char *dir = strtok_r(copy, ":", &save); dir != NULL && found == NULL;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/%s", dir, name);
		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

/* The compiler, found once. */
static const char *gcc_path(void)
{
	static char *path;

	if (path == NULL && (path = find_in_path("gcc")) == NULL)
		die(_("gcc not found in PATH: install it (make deps)"));
	return path;
}

/* gold links these small programs in three quarters of ld.bfd's time (a
 * seventh of a compile, measured); where it is not installed, gcc's default
 * linker (NULL ends the command line there). */
static const char *linker_option(void)
{
	static int gold = -1;

	if (gold == -1) {
		char *path = find_in_path("ld.gold");
		gold = path != NULL;
		free(path);
	}
	return gold ? "-fuse-ld=gold" : NULL;
}

void build_lab(const struct grader *g, const char *submission, const struct lab *lab,
	       struct lab_result *result)
{
	char *from = xasprintf("%s/%s", submission, lab->id);
	char *src = xasprintf("%s/src", g->workdir);
	char *srcdir = xasprintf("%s/%s", src, lab->id);
	char *bindir = xasprintf("%s/%s", g->bindir, lab->id);

	/* Folders the run uid passes through, and the two it compiles in. */
	if ((mkdir(src, 0711) == -1 && errno != EEXIST) ||
	    (mkdir(g->bindir, 0711) == -1 && errno != EEXIST) || mkdir(bindir, 0700) == -1)
		die_errno(_("mkdir %s"), bindir);
	if (!copy_sources(from, srcdir, result)) {
		result->build_failed = true;
		goto done;
	}
	sandbox_give(g->sandbox, srcdir);
	sandbox_give(g->sandbox, bindir);

	struct run_limits limits = run_default_limits;
	limits.wall_sec = 60;
	limits.cpu_sec = 60;
	limits.as = 4UL << 30;
	limits.fsize = 64 << 20;
	limits.nproc = 64;
	for (const char *const *prog = lab->programs; *prog != NULL; prog++) {
		char *source = xasprintf("%s.c", *prog);
		char *binary = xasprintf("%s/%s", bindir, *prog);
		char *srcfile = xasprintf("%s/%s", srcdir, source);
		const char *argv[] = { gcc_path(), "-std=gnu11", "-Wall", "-Wextra", "-g",
				       "-o", binary, source, linker_option(), NULL };
		struct run_spec spec = { .argv = argv, .dir = srcdir, .limits = limits,
					 .sandbox = g->sandbox,
					 .binds = (const char *[]){ srcdir, bindir, NULL } };
		struct run_result res;

		if (access(srcfile, F_OK) == -1) {
			log_append(result, _("%s is missing from the submission\n"), source);
			result->build_failed = true;
		} else if (run_program(&spec, &res) == -1) {
			die(_("cannot run gcc: %s"), res.error);
		} else {
			char *msgs = show_bytes(res.err.data, res.err.len, 16384);
			if (*msgs != '\0')
				log_append(result, "%s", msgs);
			if (res.end != RUN_EXITED || res.code != 0) {
				char how[300];
				log_append(result, _("gcc: %s"), source);
				log_append(result, _(" did not compile (%s)\n"),
					   run_describe(&res, how, sizeof(how)));
				result->build_failed = true;
			}
			free(msgs);
			run_result_free(&res);
		}
		/* Built: the programs may run it, not change it. */
		sandbox_take(g->sandbox, binary, 0755);
		free(source);
		free(binary);
		free(srcfile);
	}
	sandbox_take(g->sandbox, bindir, 0711);
done:
	free(from);
	free(src);
	free(srcdir);
	free(bindir);
}
