/*
 * bwrap.c: the bubblewrap layer: finding a bwrap that works here, and its
 * command line for a run (see bwrap.h, sandbox.h).
 */
#define _GNU_SOURCE
#include "run/bwrap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/sys.h"
#include "run/uids.h"

/* bubblewrap, if it is installed and can make namespaces here. */
const char *find_bwrap(const struct sandbox *sb)
{
	static const char *const paths[] = { "/usr/bin/bwrap", "/usr/local/bin/bwrap" };

	for (size_t i = 0; i < 2; i++) {
		if (access(paths[i], X_OK) != 0)
			continue;
		pid_t pid = fork();
		int status;
		if (pid == -1)
			return NULL;
		if (pid == 0) {
			int null = open("/dev/null", O_RDWR);
			dup2(null, 1);
			dup2(null, 2);
			if (sb->own_uid && !become(sb->uid, sb->gid))
				_exit(3);
			execl(paths[i], "bwrap", "--unshare-all", "--die-with-parent", "--ro-bind",
			      "/", "/", "--dev", "/dev", "--proc", "/proc", "--", "/bin/true", (char *)NULL);
			_exit(127);
		}
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return paths[i];
	}
	return NULL;
}

const char *const *sandbox_argv(const struct sandbox *sb, const char *const *argv,
				const char *dir, const char *const *binds)
{
	if (sb->layer != SANDBOX_BWRAP)
		return argv;
	size_t n = 0, nb = 0;
	while (argv[n] != NULL)
		n++;
	while (binds != NULL && binds[nb] != NULL)
		nb++;
	const char **v = xcalloc(32 + 3 * (nb + sb->nhidden) + n, sizeof(*v));
	size_t i = 0;
	const char *fixed[] = {
		sb->bwrap, "--unshare-all", "--die-with-parent", "--new-session",
		"--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
		"--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", "/run",
	};
	for (size_t k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++)
		v[i++] = fixed[k];
	for (size_t k = 0; k < sb->nhidden && k < SANDBOX_MAX_HIDDEN; k++) {
		v[i++] = "--tmpfs";
		v[i++] = sb->hidden[k];
	}
	/* The shim and the audit library, wherever the grader is installed. */
	v[i++] = "--ro-bind";
	v[i++] = sb->shim_dir;
	v[i++] = sb->shim_dir;
	for (size_t k = 0; k < nb; k++) {
		/* a leading '-' marks a folder seen read-only */
		bool ro = binds[k][0] == '-';
		v[i++] = ro ? "--ro-bind" : "--bind";
		v[i++] = binds[k] + ro;
		v[i++] = binds[k] + ro;
	}
	v[i++] = "--chdir";
	v[i++] = dir;
	v[i++] = "--";
	for (size_t k = 0; k < n; k++)
		v[i++] = argv[k];
	v[i] = NULL;
	return v;
}
