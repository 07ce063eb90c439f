/*
 * test_sys.c: unit tests of the grader's file wrappers (sys.h): remove_tree,
 * read_file, write_file_atomic, write_file and copy_file, each against the links, odd
 * permissions and odd file types a student's program can leave behind.
 *
 * The tests run as root on the project's machine, and root ignores
 * permissions; so the permission tests run remove_tree in a child that has
 * become an unprivileged uid (nobody) when the test is root.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/sys.h"

#define NOBODY 65534

static char *base;	/* every test's directory is made under it; removed by main */
static char *dir;	/* this test's directory */

static void setup(void)
{
	dir = make_temp_dir(base, "t");
}

/* dir/name, malloc'd. */
static char *at(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void put(const char *name, const char *text)
{
	char *path = at(name);
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	free(path);
}

static void set_mode(const char *name, mode_t mode)
{
	char *path = at(name);

	ck_assert_msg(chmod(path, mode) == 0, "%s: %s", path, strerror(errno));
	free(path);
}

static void make_dir(const char *name, mode_t mode)
{
	char *path = at(name);

	ck_assert_msg(mkdir(path, 0700) == 0, "%s: %s", path, strerror(errno));
	free(path);
	set_mode(name, mode);	/* whatever the umask */
}

static void link_to(const char *target, const char *name)
{
	char *path = at(name);

	ck_assert_msg(symlink(target, path) == 0, "%s: %s", path, strerror(errno));
	free(path);
}

static bool exists(const char *name)
{
	char *path = at(name);
	struct stat st;
	bool there = lstat(path, &st) == 0;

	free(path);
	return there;
}

/* The whole st_mode of name itself (not of a link's target). */
static mode_t lmode(const char *name)
{
	char *path = at(name);
	struct stat st;

	ck_assert_msg(lstat(path, &st) == 0, "%s: %s", path, strerror(errno));
	free(path);
	return st.st_mode;
}

static mode_t mode_of(const char *name)
{
	return lmode(name) & 07777;
}

/* Names in dir, sorted and joined by spaces. */
static char *listing(void)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	char *s = xstrdup("");

	ck_assert_int_ge(n, 0);
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
			char *next = xasprintf("%s%s%s", s, *s ? " " : "", names[i]->d_name);
			free(s);
			s = next;
		}
		free(names[i]);
	}
	free(names);
	return s;
}

/* ---- remove_tree ------------------------------------------------------------ */

/* Links to a directory and to a file outside, and a dangling one: the tree
 * goes, the targets stay as they were (contents and modes). */
START_TEST(test_remove_tree_keeps_link_targets)
{
	make_dir("outside", 0700);
	make_dir("outside/keep", 0700);
	set_mode("outside", 0555);
	make_dir("tree", 0700);
	make_dir("tree/sub", 0700);
	put("outside.txt", "precious");
	set_mode("outside.txt", 0400);
	char *out_dir = at("outside"), *out_file = at("outside.txt");
	link_to(out_dir, "tree/to_dir");
	link_to(out_file, "tree/sub/to_file");
	link_to("/nonexistent", "tree/dangling");

	char *tree = at("tree");
	ck_assert_int_eq(remove_tree(tree), 0);
	ck_assert(!exists("tree"));
	ck_assert(exists("outside/keep"));
	ck_assert_int_eq(mode_of("outside"), 0555);
	ck_assert_int_eq(mode_of("outside.txt"), 0400);
	size_t len;
	char *text = read_file(out_file, 100, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "precious");
	free(text);
	free(tree);
	free(out_dir);
	free(out_file);
}
END_TEST

START_TEST(test_remove_tree_of_a_link_or_nothing)
{
	make_dir("target", 0700);
	put("target/file", "x");
	link_to("target", "link");
	char *link = at("link"), *none = at("none");

	ck_assert_int_eq(remove_tree(link), 0);		/* the link itself */
	ck_assert(!exists("link"));
	ck_assert(exists("target/file"));
	ck_assert_int_eq(remove_tree(none), 0);		/* nothing to do */
	free(link);
	free(none);
}
END_TEST

static int give_to_nobody(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return lchown(path, NOBODY, NOBODY);
}

/* Runs remove_tree(dir/top/victim) as the owner of the tree: as nobody when
 * we are root, so that permissions count.  Returns the child's verdict: 0 if
 * remove_tree returned 0, 1 if -1, 2 if the child could not start. */
static int remove_as_owner(void)
{
	char *top = at("top"), *victim = at("top/victim");

	if (geteuid() == 0) {
		/* nobody needs search access down to top, and to own what is below */
		ck_assert_int_eq(chmod(base, 0711), 0);
		ck_assert_int_eq(chmod(dir, 0711), 0);
		ck_assert_int_eq(nftw(top, give_to_nobody, 16, FTW_PHYS), 0);
	}
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) == -1 || setgid(NOBODY) == -1 ||
				       setuid(NOBODY) == -1))
			_exit(2);
		_exit(remove_tree(victim) == 0 ? 0 : 1);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	free(top);
	free(victim);
	return WEXITSTATUS(status);
}

/* What a program can do to its directory: take write, read or search
 * permission away from its subdirectories. */
START_TEST(test_remove_tree_unwritable_subdirs)
{
	make_dir("top", 0700);
	make_dir("top/victim", 0700);
	make_dir("top/victim/ro", 0700);
	put("top/victim/ro/file", "x");
	make_dir("top/victim/ro/deeper", 0700);
	put("top/victim/ro/deeper/file", "x");
	make_dir("top/victim/nosearch", 0700);
	put("top/victim/nosearch/file", "x");
	make_dir("top/victim/noperm", 0700);
	put("top/victim/noperm/file", "x");
	set_mode("top/victim/ro/deeper", 0500);
	set_mode("top/victim/ro", 0500);
	set_mode("top/victim/nosearch", 0600);
	set_mode("top/victim/noperm", 0);
	set_mode("top/victim", 0500);

	ck_assert_int_eq(remove_as_owner(), 0);
	ck_assert(!exists("top/victim"));
	ck_assert(exists("top"));
}
END_TEST

/* BUG (harness/run/sys.c, remove_tree): a directory without permissions inside
 * another one without permissions is not removed.  The first nftw pass
 * (open_up) cannot read the outer one, so it never sees the inner one; the
 * second pass reports the inner one as FTW_DNR and rmdir fails (ENOTEMPTY).
 * A student's program (`mkdir -p a/b; chmod 0 a/b a`) then makes the grader
 * die ("cannot remove ...", exit 2) when it runs unprivileged.  This test
 * fails until that is fixed; the fix is for the owner of sys.c. */
START_TEST(test_remove_tree_nested_unreadable)
{
	make_dir("top", 0700);
	make_dir("top/victim", 0700);
	make_dir("top/victim/a", 0700);
	make_dir("top/victim/a/b", 0700);
	put("top/victim/a/b/file", "x");
	set_mode("top/victim/a/b", 0);
	set_mode("top/victim/a", 0);

	ck_assert_int_eq(remove_as_owner(), 0);
	ck_assert(!exists("top/victim"));
}
END_TEST

/* ---- read_file ---------------------------------------------------------------- */

START_TEST(test_read_file)
{
	put("f", "0123456789");
	char *f = at("f");
	size_t len = 99;

	char *text = read_file(f, 100, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(len, 10);
	ck_assert_str_eq(text, "0123456789");
	free(text);

	text = read_file(f, 4, &len);		/* at most max bytes, NUL-terminated */
	ck_assert_ptr_nonnull(text);
	ck_assert_uint_eq(len, 4);
	ck_assert_str_eq(text, "0123");
	free(text);
	free(f);
}
END_TEST

START_TEST(test_read_file_refuses)
{
	put("f", "secret");
	link_to("f", "link");
	char *link = at("link"), *sub = at("sub"), *fifo = at("fifo"), *none = at("none");
	size_t len;

	errno = 0;
	ck_assert_ptr_null(read_file(link, 100, &len));
	ck_assert_int_eq(errno, ELOOP);
	make_dir("sub", 0700);
	ck_assert_ptr_null(read_file(sub, 100, &len));
	ck_assert_int_eq(errno, EINVAL);
	/* a FIFO nobody writes to: refused at once, not waited on */
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_ptr_null(read_file(fifo, 100, &len));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(read_file(none, 100, &len));
	ck_assert_int_eq(errno, ENOENT);
	free(link);
	free(sub);
	free(fifo);
	free(none);
}
END_TEST

/* ---- write_file_atomic ----------------------------------------------------------- */

START_TEST(test_write_atomic_new_and_empty)
{
	char *f = at("report.json"), *e = at("empty");
	size_t len;

	ck_assert_int_eq(write_file_atomic(f, "{}\n", 3), 0);
	ck_assert_int_eq(write_file_atomic(e, "", 0), 0);
	char *text = read_file(f, 100, &len);
	ck_assert_str_eq(text, "{}\n");
	free(text);
	ck_assert_int_eq(mode_of("report.json"), 0644);
	text = read_file(e, 100, &len);
	ck_assert_uint_eq(len, 0);
	free(text);
	char *names = listing();
	ck_assert_str_eq(names, "empty report.json");	/* no temporary file left */
	free(names);
	free(f);
	free(e);
}
END_TEST

/* The old file is replaced, not rewritten: a reader that has it open still
 * reads the old contents, and the path names a new inode. */
START_TEST(test_write_atomic_replaces)
{
	put("f", "old contents");
	char *f = at("f");
	struct stat before, after;
	int fd = open(f, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(stat(f, &before), 0);
	ck_assert_int_eq(write_file_atomic(f, "new", 3), 0);
	ck_assert_int_eq(stat(f, &after), 0);
	ck_assert(before.st_ino != after.st_ino);
	char buf[32] = "";
	ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), 12);
	ck_assert_str_eq(buf, "old contents");
	close(fd);
	size_t len;
	char *text = read_file(f, 100, &len);
	ck_assert_str_eq(text, "new");
	free(text);
	char *names = listing();
	ck_assert_str_eq(names, "f");
	free(names);
	free(f);
}
END_TEST

/* A link at the path is replaced by the file; its target is not written. */
START_TEST(test_write_atomic_not_through_link)
{
	put("target", "keep");
	link_to("target", "out");
	char *out = at("out"), *target = at("target");
	size_t len;

	ck_assert_int_eq(write_file_atomic(out, "new", 3), 0);
	char *text = read_file(target, 100, &len);
	ck_assert_str_eq(text, "keep");
	free(text);
	ck_assert(S_ISREG(lmode("out")));
	text = read_file(out, 100, &len);
	ck_assert_str_eq(text, "new");
	free(text);
	free(out);
	free(target);
}
END_TEST

/* A failure (the path is a directory: rename fails) leaves no temporary. */
START_TEST(test_write_atomic_failure_leaves_nothing)
{
	make_dir("taken", 0700);
	char *taken = at("taken"), *missing = at("no/such/dir/f");

	errno = 0;
	ck_assert_int_eq(write_file_atomic(taken, "x", 1), -1);
	ck_assert_int_ne(errno, 0);
	ck_assert_int_eq(write_file_atomic(missing, "x", 1), -1);
	ck_assert_int_eq(errno, ENOENT);
	char *names = listing();
	ck_assert_str_eq(names, "taken");
	free(names);
	free(taken);
	free(missing);
}
END_TEST

/* ---- write_file ------------------------------------------------------------------ */

/* A scratch file: made new, never over an existing file nor through a link. */
START_TEST(test_write_file_new_only)
{
	put("target", "keep");
	link_to("target", "link");
	char *f = at("scratch"), *link = at("link"), *target = at("target");
	size_t len;

	ck_assert_int_eq(write_file(f, "28 bytes of a struct STU...", 27), 0);
	char *text = read_file(f, 100, &len);
	ck_assert_uint_eq(len, 27);
	ck_assert_str_eq(text, "28 bytes of a struct STU...");
	free(text);
	ck_assert_int_eq(mode_of("scratch"), 0644);
	ck_assert_int_eq(write_file(f, "again", 5), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(write_file(link, "new", 3), -1);
	ck_assert_int_eq(errno, EEXIST);
	text = read_file(target, 100, &len);
	ck_assert_str_eq(text, "keep");
	free(text);
	text = read_file(f, 100, &len);
	ck_assert_str_eq(text, "28 bytes of a struct STU...");
	free(text);
	free(f);
	free(link);
	free(target);
}
END_TEST

/* ---- copy_file ------------------------------------------------------------------- */

static int open_dir(const char *name)
{
	char *path = at(name);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	free(path);
	return fd;
}

START_TEST(test_copy_file)
{
	make_dir("from", 0700);
	make_dir("to", 0700);
	put("from/a.c", "int main(void) { return 0; }\n");
	put("from/ten", "0123456789");
	int from = open_dir("from"), to = open_dir("to");
	char *copy = at("to/a.c");
	size_t len;

	ck_assert_int_eq(copy_file(from, "a.c", to, 1000), 0);
	char *text = read_file(copy, 1000, &len);
	ck_assert_str_eq(text, "int main(void) { return 0; }\n");
	free(text);
	ck_assert_int_eq(copy_file(from, "ten", to, 10), 0);	/* exactly max: fine */
	ck_assert_int_eq(mode_of("to/ten"), 0644);
	close(from);
	close(to);
	free(copy);
}
END_TEST

START_TEST(test_copy_file_refuses)
{
	make_dir("from", 0700);
	make_dir("to", 0700);
	make_dir("from/dir", 0700);
	put("from/big", "0123456789");
	put("from/a.c", "student");
	put("secret", "root only");
	put("to/taken", "old");
	link_to("../secret", "from/link.c");
	char *fifo = at("from/fifo"), *outside = at("outside");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	link_to(outside, "to/a.c");		/* a planted link must not be written through */
	put("from/taken", "new");
	int from = open_dir("from"), to = open_dir("to");

	ck_assert_int_eq(copy_file(from, "link.c", to, 1000), -1);
	ck_assert_int_eq(errno, ELOOP);
	ck_assert_int_eq(copy_file(from, "big", to, 9), -1);	/* one byte over */
	ck_assert_int_eq(errno, EFBIG);
	ck_assert_int_eq(copy_file(from, "dir", to, 1000), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(copy_file(from, "fifo", to, 1000), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(copy_file(from, "a.c", to, 1000), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(copy_file(from, "taken", to, 1000), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(copy_file(from, "none", to, 1000), -1);
	ck_assert_int_eq(errno, ENOENT);

	ck_assert(!exists("outside"));
	ck_assert(!exists("to/link.c") && !exists("to/big") && !exists("to/dir") &&
		  !exists("to/fifo") && !exists("to/none"));
	size_t len;
	char *taken = at("to/taken"), *text = read_file(taken, 100, &len);
	ck_assert_str_eq(text, "old");
	free(text);
	free(taken);
	free(fifo);
	free(outside);
	close(from);
	close(to);
}
END_TEST

START_TEST(test_make_temp_dir)
{
	char *a = make_temp_dir(dir, "x"), *b = make_temp_dir(dir, "x");
	struct stat st;

	ck_assert_str_ne(a, b);
	ck_assert_int_eq(strncmp(a, dir, strlen(dir)), 0);
	ck_assert_int_eq(stat(a, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 07777, 0700);
	free(a);
	free(b);
}
END_TEST

/* fork_again: patient for EAGAIN only (the uid's processes all taken),
 * and for a bounded number of tries. */
START_TEST(test_fork_again)
{
	int tries = 0;

	errno = EINVAL;
	ck_assert(!fork_again(&tries));
	ck_assert_int_eq(tries, 0);
	errno = EAGAIN;
	ck_assert(fork_again(&tries));
	ck_assert_int_eq(tries, 1);
	ck_assert_int_eq(errno, EAGAIN);
	tries = 1500;
	ck_assert(!fork_again(&tries));
	pid_t pid = xfork();
	if (pid == 0)
		_exit(7);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}
END_TEST

static Suite *sys_suite(void)
{
	Suite *s = suite_create("sys");
	TCase *tc = tcase_create("sys");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_remove_tree_keeps_link_targets);
	tcase_add_test(tc, test_remove_tree_of_a_link_or_nothing);
	tcase_add_test(tc, test_remove_tree_unwritable_subdirs);
	tcase_add_test(tc, test_remove_tree_nested_unreadable);
	tcase_add_test(tc, test_read_file);
	tcase_add_test(tc, test_read_file_refuses);
	tcase_add_test(tc, test_write_atomic_new_and_empty);
	tcase_add_test(tc, test_write_atomic_replaces);
	tcase_add_test(tc, test_write_atomic_not_through_link);
	tcase_add_test(tc, test_write_atomic_failure_leaves_nothing);
	tcase_add_test(tc, test_write_file_new_only);
	tcase_add_test(tc, test_copy_file);
	tcase_add_test(tc, test_copy_file_refuses);
	tcase_add_test(tc, test_make_temp_dir);
	tcase_add_test(tc, test_fork_again);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	base = make_temp_dir(NULL, "test_sys");
	SRunner *sr = srunner_create(sys_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	/* As root this removes whatever a failed test left, nobody's files too. */
	if (remove_tree(base) == -1)
		perror("test_sys: remove_tree");
	free(base);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
