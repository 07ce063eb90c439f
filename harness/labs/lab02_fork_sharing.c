/*
 * lab02_fork_sharing.c: the checks of lab 02, fork_share [-p] [VALUE [VAR]]
 * (SPEC §1's row 02-fork-sharing).
 *
 * Random VALUE and VAR tell a program that shares memory from one that only
 * prints the document's numbers; the parent and child lines are judged each.
 */
#include <errno.h>
#include <stdio.h>

#include "labs/clauses.h"
#include "labs/faults.h"
#include "labs/judges.h"
#include "labs/labs.h"
#include "labs/parent_child.h"
#include "lang/lang.h"
#include "run/sys.h"

#define ROW_STDOUT N_("§1 lab 02: stdout, the child's line then the parent's, exact")
#define ROW_SHARED N_("§1 lab 02: a file-backed MAP_SHARED mapping of a temp file")
#define ROW_PRIVATE N_("§1 lab 02: with -p the mapping is MAP_PRIVATE and the parent prints 0")
#define ROW_UNLINKED N_("§1 lab 02: the temp file is unlinked at once (nothing left behind)")

/* The delay run's title says how long the child is held back. */
_Static_assert(DELAY_MS == 200, "the delay run's title says 200 ms");

static const struct lab_check checks[] = {
	{ "fork-share.default", 2, N_("default run: child and parent lines"), ROW_STDOUT,
	  { "default" }, judge_pc_lines },
	{ "fork-share.map-shared", 1, N_("the temporary file is mapped MAP_SHARED"), ROW_SHARED,
	  { "default" }, judge_maps_file_shared },
	{ "fork-share.fd-closed", 1, N_("the descriptor is closed after mmap, before fork (pitfall 3)"),
	  RULE_CLOSE, { "default" }, judge_closes_after_mmap },
	{ "fork-share.parent-waits", 1, N_("the parent waits for the child (wait or waitpid "
					   "returns it)"), RULE_WAIT, { "default", "delay" }, judge_pc_waits },
	{ "fork-share.stdout-flushed", 1, N_("stdout's buffer is empty at fork and when a "
					     "process ends"),
	  RULE_FLUSH_AT_FORK, { "default" }, judge_flushes_stdout },
	{ "fork-share.munmap", 1, N_("the parent unmaps exactly what it mapped (pitfall 5)"),
	  RULE_MUNMAP, { "default" }, judge_unmaps_exactly },
	{ "fork-share.random-1", 2, N_("random run 1: %s"), ROW_STDOUT, { "random 1" },
	  judge_pc_lines },
	{ "fork-share.random-2", 2, N_("random run 2: %s"), ROW_STDOUT, { "random 2" },
	  judge_pc_lines },
	{ "fork-share.random-3", 2, N_("random run 3: %s"), ROW_STDOUT, { "random 3" },
	  judge_pc_lines },
	{ "fork-share.private-lines", 2, N_("%s: MAP_PRIVATE, the parent sees 0"), ROW_PRIVATE,
	  { "-p" }, judge_pc_lines },
	{ "fork-share.map-private", 1, N_("with -p the mapping is MAP_PRIVATE"), ROW_PRIVATE,
	  { "-p" }, judge_maps_file_private },
	{ "fork-share.temp-file-gone", 1, N_("the temporary file is gone after the run"),
	  ROW_UNLINKED, { "gone" }, judge_leaves_folder_empty },
	{ "fork-share.bad-usage", 1, N_("bad usage: exit 2, a usage line on stderr"), RULE_USAGE,
	  { "bad usage" }, judge_refuses_usage },
	{ "fork-share.open-fails", 1, N_("a failing open is caught"), RULE_CALLS_CHECKED,
	  { "no open" }, judge_call_caught },
	{ "fork-share.unlink-fails", 1, N_("a failing unlink is caught"), RULE_CALLS_CHECKED,
	  { "no unlink" }, judge_call_caught },
	{ "fork-share.ftruncate-fails", 1, N_("a failing ftruncate is caught"), RULE_CALLS_CHECKED,
	  { "no ftruncate" }, judge_call_caught },
	{ "fork-share.mmap-fails", 1, N_("a failing mmap is caught: MAP_FAILED checked (pitfall 7)"), RULE_CALLS_CHECKED,
	  { "no mmap" }, judge_call_caught },
	{ "fork-share.close-fails", 1, N_("a failing close is caught"), RULE_CALLS_CHECKED,
	  { "no close" }, judge_call_caught },
	{ "fork-share.fork-fails", 1, N_("a failing fork is caught"), RULE_CALLS_CHECKED,
	  { "no fork" }, judge_call_caught },
	{ "fork-share.wait-fails", 1, N_("a failing wait is caught"), RULE_CALLS_CHECKED,
	  { "no wait" }, judge_call_caught },
	{ "fork-share.munmap-fails", 1, N_("a failing munmap is caught"), RULE_CALLS_CHECKED,
	  { "no munmap" }, judge_call_caught },
	{ "fork-share.fail-message", 1, N_("a failed call is reported as PROGRAM: CALL: reason"),
	  RULE_CALLS_CHECKED, { "no *" },
	  judge_call_message },
	{ "fork-share.delay", 2, N_("delay run: the child held back until the parent waits ("
				    "200 ms at most), sleep() skipped; %s"), RULE_WAIT,
	  { "delay" }, judge_pc_lines },
	{ 0 }
};

/* fork_share [-p] VALUE VAR with random numbers. */
static void plan_random(struct lab_plan *p, const char *name, unsigned *rnd, bool private,
			bool delayed)
{
	int value = (int)rand_between(rnd, 1, 99999), var = (int)rand_between(rnd, 101, 9999);
	char v[16], w[16];
	snprintf(v, sizeof(v), "%d", value);
	snprintf(w, sizeof(w), "%d", var);
	const char *args[] = { "-p", v, w, NULL };
	plan_pc_run(p, name, "fork_share", private ? args : args + 1,
		    (struct pc_want){ value, var, !private, delayed });
}

static void plan(struct lab_plan *p, unsigned seed)
{
	unsigned rnd = seed ^ 0x02020202u;

	plan_random(p, "delay", &rnd, false, true);
	plan_pc_run(p, "default", "fork_share", NULL, (struct pc_want){ 2000, 1000, true, false });
	plan_random(p, "random 1", &rnd, false, false);
	plan_random(p, "random 2", &rnd, false, false);
	plan_random(p, "random 3", &rnd, false, false);
	plan_random(p, "-p", &rnd, true, false);
	/* TMPDIR is the run's own folder, so a temp file made there shows too. */
	plan_run(p, "gone", "fork_share", NULL);
	plan_run(p, "bad usage", "fork_share", (const char *[]){ "-x", NULL });
	plan_run(p, "bad usage", "fork_share", (const char *[]){ "12", "34", "56", NULL });
	plan_run(p, "bad usage", "fork_share", (const char *[]){ "abc", NULL });
	plan_run(p, "bad usage", "fork_share", (const char *[]){ "-p", "5", "-7", NULL });
	plan_call_fault(p, "", "fork_share", NULL, "open", "parent, ");
	plan_call_fault(p, "", "fork_share", NULL, "unlink", "parent, ");
	plan_call_fault(p, "", "fork_share", NULL, "ftruncate", "parent, ");
	plan_call_fault(p, "", "fork_share", NULL, "mmap", "parent, ");
	plan_call_fault(p, "", "fork_share", NULL, "close", "parent, ");
	plan_call_fault(p, "", "fork_share", NULL, "fork", "parent, ");
	plan_call_fault(p, "", "fork_share", NULL, "wait", "parent, ");
	plan_call_fault(p, "", "fork_share", NULL, "munmap", "parent, ");
}

const struct lab lab_fork_sharing = {
	.id = "02-fork-sharing",
	.programs = (const char *const[]){ "fork_share", NULL },
	.plan = plan,
	.checks = checks,
};
