/*
 * testing.h: what the class tests (test_class.c, test_similarity.c) share:
 * running programs with their output in a file, so that nothing can block,
 * reading files, listing folders.  A failure of these is the test's own:
 * die() (exit 2), which Check reports as an error of the test under way.
 */
#ifndef CLASS_TESTING_H
#define CLASS_TESTING_H

#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

extern char *work;	/* the test's scratch folder (run's log goes there) */

/* argv[0] (a path) with stdin from /dev/null, stdout and stderr into log;
 * own_group: in a process group of its own, as a shell's job. */
pid_t spawn(const char *const argv[], const char *log, bool own_group);
/* Exit status, or 128 + the signal that ended it. */
int wait_for(pid_t pid);
char *slurp(const char *path);
/* Runs argv to its end; its stdout and stderr into *output if asked. */
int run(const char *const argv[], char **output);
#define RUN(out, ...) run((const char *[]){ __VA_ARGS__, NULL }, out)
json_t *load(const char *path);		/* ck_asserts it is JSON */
bool exists(const char *path);
/* Every file and folder of dir with its type, mode, size, times and
 * content, to tell whether anything in it changed. */
char *listing(const char *dir);
/* The students of the class: its folders, sorted as the CSV sorts them. */
char **students(const char *dir, size_t *n);
/* Runs the suite; removes work if every test passed, else says it is kept.
 * The exit status for main: 0 or 1. */
int run_suite(Suite *s, const char *name);

#endif
