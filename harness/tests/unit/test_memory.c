/*
 * test_memory.c: the memory picture (harness/audit/memory.h, frames.h, the
 * library's lib/memory.c), from real runs of harness/tests/audit/memee.c
 * under the audit library: shared and private mappings of one page and of
 * several, a child that stores twice or not at all, a program that maps
 * twice, and hostile children that write into the log (never believed:
 * corrupt, no picture, the check fails).  As root, the frame reader too:
 * the program runs under a uid of its own and the frames come from the
 * reader, which answers nobody else.  `make check` runs it as root and,
 * as root, again as nobody (check-memory-user); the frame tests say when
 * they are skipped.
 */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "audit/frames.h"
#include "audit/frames_proto.h"
#include "audit/memory.h"
#include "report/memory_text.h"
#include "run/run.h"
#include "run/sys.h"
#include "project_top.h"

static char *base, *lib, *memee;

static void find_programs(void)
{
	char *top = project_top();

	lib = xasprintf("%s/bin/mmapaudit.so", top);
	memee = xasprintf("%s/build/tests/audit/memee", top);
	free(top);
}

struct run {
	char *dir, *logfile;
	struct run_result res;
	struct audit_log log;
	struct frames fr;
	bool frames;
};

/* memee MODE PAGES PAGE under the library, in a folder of its own; with
 * sb, as its uid, with a frame reader. */
static void run_memee(struct run *r, const char *mode, const char *pages, const char *page,
		      const struct sandbox *sb)
{
	const char *argv[] = { "memee", mode, pages, page, NULL };
	char *env[5] = { NULL };

	memset(r, 0, sizeof *r);
	r->dir = make_temp_dir(base, "m");
	r->logfile = xasprintf("%s.audit", r->dir);
	int fd = open(r->logfile, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	if (sb != NULL) {
		sandbox_give(sb, r->dir);
		ck_assert_int_eq(fchown(fd, sb->uid, sb->gid), 0);
		r->frames = frames_start(&r->fr, r->dir, sb->uid, sb->gid);
		ck_assert_msg(r->frames, "the frame reader did not start");
	}
	close(fd);
	env[0] = xasprintf("LD_PRELOAD=%s", lib);
	env[1] = xasprintf("MMAPAUDIT_LOG=%s", r->logfile);
	env[2] = xstrdup(memory_env[0]);
	if (r->frames)
		env[3] = xasprintf("MMAPAUDIT_FRAMES=%s", r->fr.socket);
	struct run_spec spec = { .path = memee, .argv = argv, .env = (const char *const *)env,
				 .dir = r->dir, .limits = run_default_limits, .sandbox = sb,
				 .binds = (const char *[]){ r->dir, r->logfile, NULL } };
	ck_assert_msg(run_program(&spec, &r->res) == 0, "run_program: %s", r->res.error);
	if (r->frames)
		frames_stop(&r->fr);
	char how[128];
	ck_assert_msg(r->res.end == RUN_EXITED && r->res.code == 0, "memee %s: %s %s %s", mode,
		      run_describe(&r->res, how, sizeof how), r->res.error, r->res.err.data);
	ck_assert_int_eq(audit_log_load(r->logfile, &r->log), 0);
	audit_frames_merge(&r->log, r->dir);
	for (int i = 0; i < 4; i++)
		free(env[i]);
}

static void run_free(struct run *r)
{
	run_result_free(&r->res);
	audit_log_free(&r->log);
	unlink(r->logfile);
	remove_tree(r->dir);
	free(r->logfile);
	free(r->dir);
}

static void views_free(struct lab_result *lab)
{
	for (size_t i = 0; i < lab->nmemory; i++) {
		free(lab->memory[i].run);
		free(lab->memory[i].process);
		free(lab->memory[i].moment);
	}
	free(lab->memory);
}

/* A run as the judgments take it: only its log matters to them. */
static struct audited_run logged(const struct audit_log *log)
{
	return (struct audited_run){ .cmdline = "memee", .log = log };
}

static size_t moments(const struct audit_log *log, const char *moment)
{
	size_t n = 0;

	for (size_t i = 0; i < log->n; i++)
		n += log->rec[i].call == AUDIT_MEMORY && strcmp(log->rec[i].path, moment) == 0;
	return n;
}

/* --- pictures of ordinary and odd programs, as data ------------------------------- */

static const struct picture_case {
	const char *mode, *pages, *page;
	enum memory_verdict verdict;
	int page_drawn;			/* the page the picture is of */
	size_t child_records;		/* memory records at the child's exit */
	const char *parent_sees;
} pictures[] = {
	{ "shared", "1", "0", MEMORY_SHARED, 0, 1, "parent 1\n" },
	{ "shared", "3", "2", MEMORY_SHARED, 0, 1, "parent 1\n" },
	{ "private", "1", "0", MEMORY_COPIED, 0, 1, "parent 0\n" },
	{ "private", "3", "2", MEMORY_COPIED, 2, 1, "parent 0\n" },
	/* Past the pages read: the copy is known from smaps alone. */
	{ "private", "12", "10", MEMORY_COPIED, 0, 1, "parent 0\n" },
	{ "twice", "2", "1", MEMORY_SHARED, 0, 1, "parent 2\n" },
	{ "nostore", "1", "0", MEMORY_UNCLEAR, 0, 1, "parent 0\n" },
	/* Two mappings: both recorded, the first (private) drawn. */
	{ "twomaps", "1", "0", MEMORY_COPIED, 0, 2, "parent 1\n" },
};

START_TEST(test_picture)
{
	const struct picture_case *c = &pictures[_i];
	struct run r;
	struct memory_picture pic;

	run_memee(&r, c->mode, c->pages, c->page, NULL);
	ck_assert_str_eq(r.res.out.data, c->parent_sees);
	ck_assert_uint_eq(moments(&r.log, "child-exit"), c->child_records);
	ck_assert_uint_eq(moments(&r.log, "parent-wait"), c->child_records);
	memory_read(&r.log, &pic);
	ck_assert_msg(pic.verdict == c->verdict, "%s %s %s: verdict %d, wanted %d (%s)", c->mode,
		      c->pages, c->page, pic.verdict, c->verdict, pic.why);
	ck_assert_int_eq(pic.page, c->page_drawn);
	/* Frames only from the reader: none here, even as root. */
	ck_assert(!pic.frames);

	struct lab_result lab = { 0 };
	memory_collect(&lab, "default", logged(&r.log));
	ck_assert_uint_eq(lab.nmemory, 2);
	ck_assert_str_eq(lab.memory[0].process, "child");
	ck_assert_str_eq(lab.memory[1].process, "parent");
	ck_assert_uint_eq(lab.memory[0].address, lab.memory[1].address);
	ck_assert(!lab.memory[0].has_frame && !lab.memory[1].has_frame);
	ck_assert(memory_verdict_of(&lab.memory[0], &lab.memory[1]) == c->verdict);
	views_free(&lab);
	run_free(&r);
}
END_TEST

/* The judgments: agreeing evidence is cited, contrary evidence fails. */
START_TEST(test_judgments_cite_and_fail)
{
	struct run shared, private;
	struct check c = { .max_score = 1 };

	run_memee(&shared, "shared", "1", "0", NULL);
	run_memee(&private, "private", "1", "0", NULL);
	check_pass(&c);
	ck_assert(judge_memory_shared(&c, logged(&shared.log)));
	ck_assert(c.passed);
	ck_assert_ptr_nonnull(strstr(c.actual, "one page for both"));
	ck_assert(!judge_memory_shared(&c, logged(&private.log)));
	ck_assert(!c.passed);
	ck_assert_ptr_nonnull(strstr(c.actual, "copy-on-write"));
	check_pass(&c);
	ck_assert(judge_memory_private(&c, logged(&private.log)));
	ck_assert(!judge_memory_private(&c, logged(&shared.log)));
	free(c.expected);
	free(c.actual);
	free(c.hint);
	run_free(&shared);
	run_free(&private);
}
END_TEST

/* The text drawing: one frame for shared, two lines for the copy. */
START_TEST(test_text_drawing)
{
	struct run shared, private;
	struct lab_result lab = { 0 };
	char *text;
	size_t size;

	run_memee(&shared, "shared", "1", "0", NULL);
	run_memee(&private, "private", "1", "0", NULL);
	memory_collect(&lab, "default", logged(&shared.log));
	memory_collect(&lab, "-p", logged(&private.log));
	FILE *f = open_memstream(&text, &size);
	memory_text(f, &lab, "", "");
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "default: one page for both"));
	ck_assert_ptr_nonnull(strstr(text, "+--> the mapping's page  MAP_SHARED"));
	ck_assert_ptr_nonnull(strstr(text, "-p: the child's store went to a page of its own: "
				     "copy-on-write; the parent still sees 0"));
	ck_assert_ptr_nonnull(strstr(text, "-----> a page of its own  MAP_PRIVATE"));
	free(text);
	views_free(&lab);
	run_free(&shared);
	run_free(&private);
}
END_TEST

/* --- hostile children: never a picture, always a failed check ------------------- */

static const char *const forgeries[] = { "forge-garbage", "forge-copy", "forge-address",
					 "forge-twin" };

START_TEST(test_forged_records_are_corrupt)
{
	struct run r;
	struct memory_picture pic;
	struct lab_result lab = { 0 };
	struct check c = { .max_score = 1 };

	run_memee(&r, forgeries[_i], "1", "0", NULL);
	memory_read(&r.log, &pic);
	ck_assert_msg(pic.verdict == MEMORY_CORRUPT, "%s: verdict %d", forgeries[_i], pic.verdict);
	ck_assert(pic.why[0] != '\0');
	memory_collect(&lab, "default", logged(&r.log));
	ck_assert_uint_eq(lab.nmemory, 0);
	check_pass(&c);
	ck_assert(!judge_memory_shared(&c, logged(&r.log)));
	ck_assert(!judge_memory_private(&c, logged(&r.log)));
	ck_assert_int_eq(c.score, 0);
	free(c.expected);
	free(c.actual);
	free(c.hint);
	run_free(&r);
}
END_TEST

/* A log of nothing but garbage and a torn line: read, no picture, no crash. */
START_TEST(test_reader_of_garbage_memory_records)
{
	char *file = xasprintf("%s/garbage.audit", base);
	const char *text =
		"1 5 1 1 memory 0 0 0 child-exit 0x1000 4096 0x1 4 0 4 1 0x0 0x0\n"
		"2 5 1 1 memory 0 0 0 child-exit 0x1000 -1 0x9 -4 9 9 99 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0\n"
		"3 5 1 1 memory 0 0 0 %zz 0x1000 4096 0x1 4 0 4 1 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0\n"
		"4 5 1 1 memory 0 0 0 parent-wait 0x1000 4096 0x1 4 0 4 1 0x0 0x0 0x0 0x0 0x0 0x0 0x0";
	struct audit_log log;
	struct memory_picture pic;

	ck_assert_int_eq(write_file(file, text, strlen(text)), 0);
	ck_assert_int_eq(audit_log_load(file, &log), 0);
	ck_assert_uint_eq(log.n, 1);	/* only the second parses; its figures cannot be */
	memory_read(&log, &pic);
	ck_assert(pic.verdict == MEMORY_CORRUPT);
	audit_log_free(&log);
	free(file);
}
END_TEST

/* --- the frame reader (root only) --------------------------------------------------- */

static struct sandbox sb;
static bool as_root;

START_TEST(test_frames_from_the_reader)
{
	struct run shared, private;
	struct memory_picture ps, pp;

	if (!as_root) {
		fprintf(stderr, "test_memory: frame reader tests skipped (not root)\n");
		return;
	}
	run_memee(&shared, "shared", "2", "1", &sb);
	run_memee(&private, "private", "3", "2", &sb);
	memory_read(&shared.log, &ps);
	memory_read(&private.log, &pp);
	ck_assert(shared.log.frames && private.log.frames);
	ck_assert_msg(ps.verdict == MEMORY_SHARED && ps.frames, "%d %s", ps.verdict, ps.why);
	ck_assert_uint_eq(ps.child_pm & PM_PFN, ps.parent_pm & PM_PFN);
	ck_assert_uint_ne(ps.child_pm & PM_PFN, 0);
	ck_assert_msg(pp.verdict == MEMORY_COPIED && pp.frames, "%d %s", pp.verdict, pp.why);
	ck_assert_int_eq(pp.page, 2);
	ck_assert_uint_ne(pp.child_pm & PM_PFN, pp.parent_pm & PM_PFN);
	struct lab_result lab = { 0 };
	memory_collect(&lab, "default", logged(&shared.log));
	ck_assert(lab.memory[0].has_frame && lab.memory[0].frame == lab.memory[1].frame);
	views_free(&lab);
	run_free(&shared);
	run_free(&private);
}
END_TEST

/* Under a reader, a forged record is still told from the real ones, even
 * if it is the one given the reader's frames (the first of its process,
 * moment and address); a real one the reader missed (a busy machine) keeps
 * its place, without a frame. */
START_TEST(test_frames_forged_record_no_picture)
{
	struct run r;
	struct memory_picture pic;
	struct lab_result lab = { 0 };

	if (!as_root)
		return;
	run_memee(&r, "forge-copy", "1", "0", &sb);
	memory_read(&r.log, &pic);
	ck_assert(pic.verdict == MEMORY_CORRUPT);
	memory_collect(&lab, "-p", logged(&r.log));
	ck_assert_uint_eq(lab.nmemory, 0);
	run_free(&r);
	run_memee(&r, "shared", "1", "0", &sb);
	for (size_t i = 0; i < r.log.n; i++)
		r.log.rec[i].root_read = false;
	memory_read(&r.log, &pic);
	ck_assert(pic.verdict == MEMORY_SHARED && !pic.frames);
	run_free(&r);
}
END_TEST

/* The reader answers the run's uid only, and only well-formed asks: root
 * (this test) asking gets no line written, nor does an ask of 9 pages. */
START_TEST(test_frames_reader_answers_nobody_else)
{
	struct frames fr;
	struct stat st;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct memory_ask ask = { .addr = 0x1000, .npages = 1, .moment = "child-exit" };
	char *dir, *out, ack;
	size_t len;

	if (!as_root)
		return;
	dir = make_temp_dir(base, "f");
	ck_assert(frames_start(&fr, dir, sb.uid, sb.gid));
	ck_assert_int_eq(stat(fr.socket, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode) && st.st_uid == sb.uid && (st.st_mode & 077) == 0);
	strcpy(sa.sun_path, fr.socket);
	for (int i = 0; i < 2; i++) {
		int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
		ck_assert_int_eq(connect(s, (struct sockaddr *)&sa, sizeof sa), 0);
		ask.npages = i == 0 ? 1 : MEMORY_PAGES + 1;
		/* The reader may have hung up already (root is not the run's uid). */
		(void)!send(s, &ask, sizeof ask, MSG_NOSIGNAL);
		/* No answer: the reader closed on us. */
		ck_assert_int_le(recv(s, &ack, 1, 0), 0);
		close(s);
	}
	frames_stop(&fr);
	out = xasprintf("%s.frames", dir);
	char *text = read_file(out, 4096, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(len, 0);
	free(text);
	unlink(out);
	free(out);
	remove_tree(dir);
	free(dir);
}
END_TEST

static Suite *memory_suite(void)
{
	Suite *s = suite_create("memory");
	TCase *tc = tcase_create("memory");

	tcase_add_checked_fixture(tc, run_init, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_picture, 0, sizeof pictures / sizeof pictures[0]);
	tcase_add_test(tc, test_judgments_cite_and_fail);
	tcase_add_test(tc, test_text_drawing);
	tcase_add_loop_test(tc, test_forged_records_are_corrupt, 0,
			    sizeof forgeries / sizeof forgeries[0]);
	tcase_add_test(tc, test_reader_of_garbage_memory_records);
	tcase_add_test(tc, test_frames_from_the_reader);
	tcase_add_test(tc, test_frames_forged_record_no_picture);
	tcase_add_test(tc, test_frames_reader_answers_nobody_else);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	find_programs();
	base = make_temp_dir(NULL, "test_memory");
	as_root = geteuid() == 0;
	if (as_root) {
		/* The run uid passes through base to its folders. */
		if (chmod(base, 0711) == -1)
			die_errno("chmod %s", base);
		sandbox_open(&sb, SANDBOX_POSIX);
	}
	SRunner *sr = srunner_create(memory_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (as_root)
		sandbox_close(&sb);
	if (remove_tree(base) == -1)
		perror("test_memory: remove_tree");
	free(base);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
