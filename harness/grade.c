/*
 * grade.c: bin/grade, the mmaplab grader (SPEC §2).
 *
 *   bin/grade [--lab ID]... [--format FORMAT] [-o FILE] [--seed N] [SUBMISSION]
 *
 * Copies each lab's sources out of SUBMISSION (default labs/), compiles them
 * in a private folder, runs the programs under limits and grades what it
 * observed.  Exit 0: every check passed; 1: graded, some check failed;
 * 2: bad usage, or the grader itself could not grade.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grading.h"
#include "labs.h"
#include "report.h"
#include "sys.h"

static const char usage_line[] =
	"usage: grade [--lab ID]... [--format FORMAT] [-o FILE] [--seed N] [SUBMISSION]\n";

static void usage(const char *problem, const char *arg)
{
	if (problem != NULL)
		fprintf(stderr, "grade: %s%s%s\n", problem, arg ? ": " : "", arg ? arg : "");
	fputs(usage_line, stderr);
	fprintf(stderr, "  --lab ID       grade only this lab (01, 01-file-mapping or file-mapping);"
		" repeat for more\n"
		"  --format F     %s (default text)\n"
		"  -o FILE        write the report to FILE instead of stdout\n"
		"  --seed N       the seed of the random values (to replay a grading)\n"
		"  SUBMISSION     a folder laid out like labs/ (default labs)\n", reporter_names());
	exit(EXIT_GRADER);
}

static void on_signal(int sig)
{
	(void)sig;
	run_interrupt();
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "lab", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct lab *chosen[16], *ordered[16];
	size_t nchosen = 0;
	const struct reporter *reporter = reporter_find("text");
	const char *output = NULL;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	int opt;

	while ((opt = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'l': {
			const struct lab *lab = lab_find(optarg);
			if (lab == NULL)
				usage("no such lab (try 01, 02-fork-sharing or file-mapping)", optarg);
			bool again = false;
			for (size_t i = 0; i < nchosen; i++)
				again |= chosen[i] == lab;
			if (!again && nchosen < sizeof(chosen) / sizeof(chosen[0]))
				chosen[nchosen++] = lab;
			break;
		}
		case 'f':
			if ((reporter = reporter_find(optarg)) == NULL)
				usage("unknown format", optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case 's': {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' || errno || v > 0xffffffffUL)
				usage("--seed takes a non-negative integer", optarg);
			seed = (unsigned)v;
			break;
		}
		case 'h':
			fputs(usage_line, stdout);
			return 0;
		default:
			usage(NULL, NULL);
		}
	}
	if (argc - optind > 1)
		usage("one SUBMISSION folder at a time", argv[optind + 1]);
	const char *submission = argc > optind ? argv[optind] : "labs";
	struct stat st;
	if (stat(submission, &st) == -1 || !S_ISDIR(st.st_mode))
		usage("SUBMISSION must be a folder laid out like labs/ (run from the project's "
		      "top folder, or name the folder)", submission);
	/* In the order they are taught, whatever the order of the --lab options. */
	size_t n = 0;
	for (const struct lab *const *l = lab_table; *l != NULL; l++) {
		bool wanted = nchosen == 0;
		for (size_t i = 0; i < nchosen; i++)
			wanted |= chosen[i] == *l;
		if (wanted)
			ordered[n++] = *l;
	}

	/* Ctrl-C kills the program under way and still cleans up. */
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	run_init();

	struct report report;
	if (!grade_submission(submission, ordered, n, seed, &report)) {
		fprintf(stderr, "grade: interrupted; nothing was reported\n");
		report_free(&report);
		return EXIT_GRADER;
	}
	const char *nc = getenv("NO_COLOR");
	bool colour = output == NULL && isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
	char *text = reporter->render(&report, colour);
	int status = report.score == report.max_score ? 0 : 1;
	if (output != NULL) {
		if (write_file_atomic(output, text, strlen(text)) == -1)
			die_errno("cannot write %s", output);
	} else if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
		die_errno("cannot write the report");
	}
	free(text);
	report_free(&report);
	return status;
}
