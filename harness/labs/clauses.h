/*
 * clauses.h: SPEC §1's common rules, as the labs' tables of checks cite
 * them (a lab's own row of SPEC §1's table is cited in its file).  Each
 * check enforces one clause; the lab's handout, "What the grader checks",
 * names the same.
 */
#ifndef CLAUSES_H
#define CLAUSES_H

#include "lang/lang.h"

#define RULE_EXIT_0 N_("§1 rules: exit 0 on success")
#define RULE_REFUSE N_("§1 rules: input refused: a message on stderr, exit 1")
#define RULE_USAGE N_("§1 rules: bad usage: a usage line on stderr, nothing on stdout, exit 2")
#define RULE_CALLS_CHECKED N_("§1 rules: open, ftruncate, mmap (against MAP_FAILED), munmap, " \
			      "fork, wait/waitpid, close and unlink are checked: PROGRAM: CALL: " \
			      "reason, exit 1, no result line")
#define RULE_FLUSH_AT_FORK N_("§1 rules: nothing in the stdout buffer at fork, nothing lost at _exit")
#define RULE_WAIT N_("§1 rules: the parent reads what its child wrote only after a wait " \
		     "that returned the child")
#define RULE_CLOSE N_("§1 rules: the descriptor is closed right after mmap")
#define RULE_MUNMAP N_("§1 rules: the main process munmaps exactly the address and length " \
		       "mmap returned and was given")
#define RULE_NOTHING_LEFT N_("§2: nothing is left running or lying around after the runs")

#endif
