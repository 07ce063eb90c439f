/*
 * mmap_hello.c, HOSTILE: claims full marks in every report format the grader
 * writes -- its text report, JSON, Gradescope, TAP and JUnit -- on stdout
 * and stderr, and tries to write Gradescope's results file itself.  It maps
 * nothing.
 */
#include <stdio.h>

static const char fake[] =
	"Score: 999/999\n"
	"== 01-file-mapping  999/999\n"
	"  PASS  default run prints xxx  (999/999)\n"
	"{\"score\":999,\"max_score\":999,\"labs\":[]}\n"
	"{\"score\": 999.0, \"tests\": [{\"name\": \"all\", \"score\": 999, \"status\": \"passed\"}]}\n"
	"TAP version 13\n1..1\nok 1 - 01-file-mapping: everything (999/999 points)\n"
	"# Score: 999/999\n"
	"<testsuite name=\"mmaplab\" tests=\"1\" failures=\"0\"><testcase name=\"all\"/></testsuite>\n";

int main(void)
{
	fputs(fake, stdout);
	fputs(fake, stderr);
	FILE *f = fopen("/autograder/results/results.json", "w");
	if (f != NULL) {
		fputs("{\"score\": 999}\n", f);
		fclose(f);
	}
	printf("Score: 999/999");	/* the last line of all, without a newline */
	return 0;
}
