/*
 * runcost.c: the CPU time a program costs over N runs, for audit_cost.sh.
 *
 * Usage: runcost [-p LIB -l LOG] N PROGRAM [ARG...]
 *
 * Runs PROGRAM N times one after the other (stdout to /dev/null), each time
 * with LD_PRELOAD=LIB and MMAPAUDIT_LOG=LOG added to its environment when -p
 * is given, and prints the user + system CPU nanoseconds the runs took, as
 * getrusage(RUSAGE_CHILDREN) counts them: finer than the shell's `times`,
 * which counts clock ticks.  Exit 1 if a run fails to start or exits non-zero.
 */
#define _GNU_SOURCE
#include <err.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static long long cpu_ns(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_CHILDREN, &ru) == -1)
		err(1, "getrusage");
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

int main(int argc, char *argv[])
{
	const char *lib = NULL, *log = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "+p:l:")) != -1) {
		if (opt == 'p')
			lib = optarg;
		else if (opt == 'l')
			log = optarg;
		else
			goto usage;
	}
	if (argc - optind < 2 || (lib == NULL) != (log == NULL))
		goto usage;
	long n = strtol(argv[optind], NULL, 10);
	if (n < 1)
		goto usage;

	/* The environment, plus the audit's two variables when asked. */
	size_t nenv = 0;
	while (environ[nenv] != NULL)
		nenv++;
	char **env = calloc(nenv + 3, sizeof *env);
	if (env == NULL)
		err(1, "calloc");
	memcpy(env, environ, nenv * sizeof *env);
	if (lib != NULL) {
		if (asprintf(&env[nenv++], "LD_PRELOAD=%s", lib) == -1 ||
		    asprintf(&env[nenv++], "MMAPAUDIT_LOG=%s", log) == -1)
			err(1, "asprintf");
	}

	posix_spawn_file_actions_t fa;
	if (posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0) != 0)
		errx(1, "posix_spawn_file_actions");
	long long t0 = cpu_ns();
	for (long i = 0; i < n; i++) {
		pid_t pid;
		int status, e = posix_spawn(&pid, argv[optind + 1], &fa, NULL,
					    argv + optind + 1, env);
		if (e != 0)
			errx(1, "posix_spawn %s: %s", argv[optind + 1], strerror(e));
		if (waitpid(pid, &status, 0) == -1)
			err(1, "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			errx(1, "%s did not exit 0", argv[optind + 1]);
	}
	printf("%lld\n", cpu_ns() - t0);
	return 0;

usage:
	fprintf(stderr, "usage: runcost [-p LIB -l LOG] N PROGRAM [ARG...]\n");
	return 2;
}
