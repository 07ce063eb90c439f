/*
 * grade.c: bin/grade, the mmaplab grader (SPEC §2).
 *
 *   bin/grade [--lab ID]... [--format FORMAT] [-o FILE] [--seed N] [--lang L] [SUBMISSION]
 *   bin/grade --class DIR [--jobs N] [--out RESULTS_DIR] [--regrade] [...]
 *
 * Copies each lab's sources out of SUBMISSION (default labs/), compiles them
 * in a private folder, runs the programs under limits and grades what it
 * observed.  Exit 0: every check passed; 1: graded, some check failed;
 * 2: bad usage, or the grader itself could not grade.  --class grades one
 * submission per folder of DIR, in parallel (class.c).
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

#include "audit/memory.h"
#include "class/class.h"
#include "labs/grading.h"
#include "labs/labs.h"
#include "labs/show.h"
#include "lang/lang.h"
#include "report/report.h"
#include "run/sys.h"

static const char usage_line[] = N_(
	"usage: grade [--lab ID]... [--format FORMAT] [-o FILE] [--seed N] [--lang L] [SUBMISSION]\n"
	"       grade --class DIR [--jobs N] [--out RESULTS_DIR] [--regrade] [--lab ID]... "
	"[--format FORMAT] [--seed N] [--lang L]\n"
	"             [--similarity on|off] [--similarity-threshold N] [--similar-to DIR]\n");

/* One message an option: a new option is one line to translate, not the
 * whole help.  Each is a format given SIMILARITY_THRESHOLD (one uses it). */
static const char *const option_help[] = {
	N_("  -o FILE        write the report to FILE instead of stdout\n"),
	N_("  --seed N       the seed of the random values (to replay a grading)\n"),
	N_("  SUBMISSION     a folder laid out like labs/ (default labs)\n"),
	N_("  --class DIR    grade every student: DIR holds one SUBMISSION folder per student\n"),
	N_("  --jobs N       students graded at a time, on N cores at most (default: one\n"
	   "                 per core)\n"),
	N_("  --out DIR      where class results go (default results)\n"),
	N_("  --regrade      grade again students whose sources did not change\n"),
	N_("  --similarity off  do not compare the students' sources (default on)\n"),
	N_("  --similarity-threshold N  list pairs sharing N%% or more of their own code\n"
	   "                 in a lab (default %d)\n"),
	N_("  --similar-to DIR  also compare each student with an earlier class (laid out\n"
	   "                 as DIR is), not the earlier students with each other\n"),
	N_("  --sandbox L    default: posix as root (a uid of its own), userns otherwise\n"
	   "                 where the kernel allows it (namespaces made once per grading: no\n"
	   "                 network, a read-only system, a pid namespace per run); posix,\n"
	   "                 userns, bwrap (namespaces per run; about twice as slow), or\n"
	   "                 auto (userns, else bwrap, when it works)\n"),
	N_("  --no-audit     run programs without the audit library (to measure its cost;\n"
	   "                 every check built on it then fails)\n"),
	N_("  --show         grade nothing: run each program of the labs once and print\n"
	   "                 its memory picture (page frames when run as root)\n"),
	N_("  --no-memory    record no memory picture (to measure its cost)\n"),
	N_("  --lang L       the language of the messages: en or zh_CN (default: the\n"
	   "                 locale's, LANG=zh_CN.UTF-8; machine-read ids stay the same)\n"),
};

static void usage(const char *problem, const char *arg)
{
	if (problem != NULL)
		fprintf(stderr, "grade: %s%s%s\n", problem, arg ? ": " : "", arg ? arg : "");
	fputs(_(usage_line), stderr);
	fputs(_("  --lab ID       grade only this lab (01, 01-file-mapping or file-mapping);"
		" repeat for more\n"), stderr);
	fprintf(stderr, _("  --format F     %s (default text)\n"), reporter_names());
	for (size_t i = 0; i < sizeof(option_help) / sizeof(option_help[0]); i++)
		fprintf(stderr, _(option_help[i]), SIMILARITY_THRESHOLD);
	exit(EXIT_GRADER);
}

/* A whole number in [min, max], or a usage error that names the option. */
static unsigned long number(const char *arg, unsigned long min, unsigned long max,
			    const char *complaint)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end != '\0' || errno || v < min || v > max)
		usage(complaint, arg);
	return v;
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
		{ "class", required_argument, NULL, 'C' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'O' },
		{ "regrade", no_argument, NULL, 'R' },
		{ "similarity", required_argument, NULL, 'y' },
		{ "similarity-threshold", required_argument, NULL, 'Y' },
		{ "similar-to", required_argument, NULL, 'z' },
		{ "sandbox", required_argument, NULL, 'S' },
		{ "no-audit", no_argument, NULL, 'A' },
		{ "show", no_argument, NULL, 'M' },
		{ "no-memory", no_argument, NULL, 'N' },
		{ "lang", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct lab *chosen[16], *ordered[16];
	size_t nchosen = 0;
	const struct reporter *reporter = reporter_find("text");
	const char *output = NULL;
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	struct class_options class = { .out = "results", .similarity = true,
				       .similarity_threshold = SIMILARITY_THRESHOLD };
	bool class_only = false;
	int opt;

	/* Not an option for people: how programs run under bwrap (run.h). */
	if (argc > 3 && strcmp(argv[1], "--run-shim") == 0)
		return run_shim(argv + 2);
	/* The language first: every message after this one is in it. */
	const char *lang = lang_option(argc, argv);
	if (!lang_init(lang)) {
		lang_init(NULL);
		usage(_("--lang takes en or zh_CN"), lang);
	}
	while ((opt = getopt_long(argc, argv, "o:j:h", options, NULL)) != -1) {
		switch (opt) {
		case 'l': {
			const struct lab *lab = lab_find(optarg);
			if (lab == NULL)
				usage(_("no such lab (try 01, 02-fork-sharing or file-mapping)"), optarg);
			bool again = false;
			for (size_t i = 0; i < nchosen; i++)
				again |= chosen[i] == lab;
			if (!again && nchosen < sizeof(chosen) / sizeof(chosen[0]))
				chosen[nchosen++] = lab;
			break;
		}
		case 'f':
			if ((reporter = reporter_find(optarg)) == NULL)
				usage(_("unknown format"), optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case 's':
			seed = (unsigned)number(optarg, 0, 0xffffffffUL,
						_("--seed takes a non-negative integer"));
			class.seed_given = true;
			break;
		case 'C':
			class.dir = optarg;
			break;
		case 'j':
			class.jobs = (unsigned)number(optarg, 1, 1024, _("--jobs takes a number from 1 to 1024"));
			class_only = true;
			break;
		case 'O':
			class.out = optarg;
			class_only = true;
			break;
		case 'R':
			class.regrade = class_only = true;
			break;
		case 'y':
			if (strcmp(optarg, "on") != 0 && strcmp(optarg, "off") != 0)
				usage(_("--similarity takes on or off"), optarg);
			class.similarity = strcmp(optarg, "on") == 0;
			class_only = true;
			break;
		case 'Y':
			class.similarity_threshold = (unsigned)number(optarg, 0, 100,
				_("--similarity-threshold takes a percentage from 0 to 100"));
			class_only = true;
			break;
		case 'z':
			class.similar_to = optarg;
			class_only = true;
			break;
		case 'A':
			grading_audit = false;
			break;
		case 'M':
			grading_show = true;
			break;
		case 'N':
			grading_memory = false;
			break;
		case 'S':
			if (!sandbox_parse(optarg, &sandbox_preference))
				usage(_("--sandbox takes auto, posix, userns or bwrap"), optarg);
			break;
		case 'L':	/* taken before the options (lang_option) */
			break;
		case 'h':
			fputs(_(usage_line), stdout);
			return 0;
		default:
			usage(NULL, NULL);
		}
	}
	if (class.dir != NULL && argc > optind)
		usage(_("--class grades the folders of DIR: no SUBMISSION with it"), argv[optind]);
	if (class.dir != NULL && output != NULL)
		usage(_("--class writes into --out RESULTS_DIR, not -o"), output);
	if (class.dir == NULL && class_only)
		usage(_("--jobs, --out, --regrade and the --similar options go with --class DIR"), NULL);
	if (argc - optind > 1)
		usage(_("one SUBMISSION folder at a time"), argv[optind + 1]);
	/* In the order they are taught, whatever the order of the --lab options. */
	size_t n = 0;
	for (const struct lab *const *l = lab_table; *l != NULL; l++) {
		bool wanted = nchosen == 0;
		for (size_t i = 0; i < nchosen; i++)
			wanted |= chosen[i] == *l;
		if (wanted)
			ordered[n++] = *l;
	}
	if (class.dir != NULL) {
		class.labs = ordered;
		class.nlabs = n;
		class.seed = seed;
		class.reporter = reporter;
		return class_main(&class);
	}
	const char *submission = argc > optind ? argv[optind] : "labs";
	struct stat st;
	if (stat(submission, &st) == -1 || !S_ISDIR(st.st_mode))
		usage(_("SUBMISSION must be a folder laid out like labs/ (run from the project's "
			"top folder, or name the folder)"), submission);

	/* Ctrl-C kills the program under way and still cleans up. */
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	run_init();

	struct report report;
	if (!grade_submission(submission, ordered, n, seed, &report)) {
		fputs(_("grade: interrupted; nothing was reported\n"), stderr);
		report_free(&report);
		return EXIT_GRADER;
	}
	if (grading_show) {	/* show_lab printed it all */
		report_free(&report);
		return 0;
	}
	const char *nc = getenv("NO_COLOR");
	bool colour = output == NULL && isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
	char *text = reporter->render(&report, colour);
	int status = report.score == report.max_score ? 0 : 1;
	if (output != NULL) {
		if (write_file_atomic(output, text, strlen(text)) == -1)
			die_errno(_("cannot write %s"), output);
	} else if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
		die_errno(_("cannot write the report"));
	}
	free(text);
	report_free(&report);
	return status;
}
