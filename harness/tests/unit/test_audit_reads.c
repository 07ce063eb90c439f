/*
 * test_audit_reads.c: the audit library's read and page-size records
 * (harness/audit/lib/reads.c, pagesize.c), seen through lab 06's and lab 05's
 * reference programs run under it: sum_read's first read and its totals,
 * sum_mmap's absence of reads, mmap_cat told another page size.
 */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/log.h"
#include "project_top.h"
#include "run/run.h"
#include "run/sys.h"

static char *base, *dir, *logfile, *lib, *solutions;

static void setup(void)
{
	run_init();
	dir = make_temp_dir(base, "t");
	logfile = xasprintf("%s/audit.log", dir);
	int fd = open(logfile, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(close(fd), 0);
}

static void find_programs(void)
{
	char *top = project_top();

	lib = xasprintf("%s/bin/mmapaudit.so", top);
	solutions = xasprintf("%s/build/solutions", top);
	free(top);
}

/* LAB/PROG ARGS... in dir under the library with one setting (or NULL). */
static void audited(const char *prog, const char *const *args, const char *setting,
		    struct audit_log *log)
{
	char *path = xasprintf("%s/%s", solutions, prog);
	char *preload = xasprintf("LD_PRELOAD=%s", lib), *logenv = xasprintf("MMAPAUDIT_LOG=%s", logfile);
	const char *argv[8] = { path }, *env[] = { preload, logenv, setting, NULL };
	struct run_result res;
	char how[128];

	for (size_t i = 0; args[i] != NULL && i < 6; i++)
		argv[i + 1] = args[i];
	struct run_spec spec = { .argv = argv, .env = env, .dir = dir, .limits = run_default_limits };
	ck_assert_msg(run_program(&spec, &res) == 0, "run_program: %s", res.error);
	ck_assert_msg(res.end == RUN_EXITED && res.code == 0, "%s: %s; stderr: %s", prog,
		      run_describe(&res, how, sizeof how), res.err.data);
	ck_assert_int_eq(audit_log_load(logfile, log), 0);
	ck_assert_uint_eq(log->bad, 0);
	run_result_free(&res);
	free(path);
	free(preload);
	free(logenv);
}

static void put_file(const char *name, size_t size)
{
	char *path = xasprintf("%s/%s", dir, name), *data = xcalloc(1, size + 1);

	for (size_t i = 0; i < size; i++)
		data[i] = (char)(i * 7);
	ck_assert_int_eq(write_file(path, data, size), 0);
	free(data);
	free(path);
}

/* The main process's records of call. */
static size_t records(const struct audit_log *log, enum audit_call call,
		      const struct audit_rec **last)
{
	size_t pos = 0, n = 0;
	const struct audit_rec *r;

	*last = NULL;
	while ((r = audit_next(log, &pos, audit_main_pid(log), call)) != NULL) {
		n++;
		*last = r;
	}
	return n;
}

/* 300000 bytes in 128 KiB reads: one read record (the first), and the
 * totals of all four calls (the last returns 0). */
START_TEST(test_first_read_and_totals)
{
	struct audit_log log;
	const struct audit_rec *r;

	put_file("f", 300000);
	audited("06-read-vs-mmap/sum_read", (const char *[]){ "f", NULL }, NULL, &log);
	ck_assert_uint_eq(records(&log, AUDIT_READ, &r), 1);
	ck_assert_str_eq(r->fn, "read");
	ck_assert_int_eq(r->ret, 131072);
	ck_assert_int_eq(r->arg[AUDIT_READ_COUNT], 131072);
	ck_assert_int_eq(r->arg[AUDIT_READ_OFFSET], -1);
	ck_assert_int_eq(r->arg[AUDIT_READ_FSIZE], 300000);
	ck_assert(S_ISREG((mode_t)r->arg[AUDIT_READ_FMODE]));
	ck_assert_uint_eq(records(&log, AUDIT_READS, &r), 1);
	ck_assert_int_eq(r->arg[AUDIT_READS_CALLS], 4);
	ck_assert_int_eq(r->arg[AUDIT_READS_BYTES], 300000);
	ck_assert_int_eq(r->arg[AUDIT_READS_MAXCOUNT], 131072);
	audit_log_free(&log);
}
END_TEST

/* The mapping reads nothing through read(): no record, no totals. */
START_TEST(test_mmap_reads_nothing)
{
	struct audit_log log;
	const struct audit_rec *r;

	put_file("f", 300000);
	audited("06-read-vs-mmap/sum_mmap", (const char *[]){ "f", NULL }, NULL, &log);
	ck_assert_uint_eq(records(&log, AUDIT_READ, &r), 0);
	ck_assert_uint_eq(records(&log, AUDIT_READS, &r), 0);
	ck_assert_uint_eq(records(&log, AUDIT_MMAP, &r), 1);
	audit_log_free(&log);
}
END_TEST

/* The library's own reads of /proc/self/smaps and its own sysconf (memory
 * records of fork_share's mapping) are not the program's. */
START_TEST(test_library_reads_unseen)
{
	struct audit_log log;
	const struct audit_rec *r;

	audited("02-fork-sharing/fork_share", (const char *[]){ NULL }, "MMAPAUDIT_MEMORY=on", &log);
	ck_assert_uint_gt(records(&log, AUDIT_MEMORY, &r), 0);
	ck_assert_uint_eq(records(&log, AUDIT_READ, &r), 0);
	ck_assert_uint_eq(records(&log, AUDIT_READS, &r), 0);
	ck_assert_uint_eq(records(&log, AUDIT_PAGESIZE, &r), 0);
	audit_log_free(&log);
}
END_TEST

/* OFFSET 13000: rounded to 12288 on a 4 KiB page, to 0 when told 16 KiB. */
static const struct {
	const char *setting;
	long answer, offset;
	bool injected;
} told[] = {
	{ NULL, 4096, 12288, false },
	{ "MMAPAUDIT_PAGESIZE=16384", 16384, 0, true },
	{ "MMAPAUDIT_PAGESIZE=1000", 4096, 12288, false },	/* not a page: ignored */
};

START_TEST(test_page_size_told)
{
	struct audit_log log;
	const struct audit_rec *r;

	ck_assert_int_eq(sysconf(_SC_PAGESIZE), 4096);	/* the machine the cases are for */
	put_file("f", 20000);
	audited("05-pitfalls/mmap_cat", (const char *[]){ "f", "13000", "10", NULL },
		told[_i].setting, &log);
	ck_assert_uint_eq(records(&log, AUDIT_PAGESIZE, &r), 1);
	ck_assert_str_eq(r->fn, "sysconf");
	ck_assert_int_eq(r->ret, told[_i].answer);
	ck_assert_int_eq(r->injected, told[_i].injected);
	ck_assert_uint_eq(records(&log, AUDIT_MMAP, &r), 1);
	ck_assert_int_eq(r->arg[AUDIT_MMAP_OFFSET], told[_i].offset);
	ck_assert_uint_eq(records(&log, AUDIT_CONFIG, &r), _i == 2);
	audit_log_free(&log);
}
END_TEST

int main(void)
{
	find_programs();
	base = make_temp_dir(NULL, "test_audit_reads");
	Suite *s = suite_create("audit reads");
	TCase *tc = tcase_create("audit reads");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_first_read_and_totals);
	tcase_add_test(tc, test_mmap_reads_nothing);
	tcase_add_test(tc, test_library_reads_unseen);
	tcase_add_loop_test(tc, test_page_size_told, 0, sizeof told / sizeof told[0]);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (remove_tree(base) == -1)
		perror("test_audit_reads: remove_tree");
	free(base);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
