/*
 * config.c: the audit library's start.  The constructor finds the real
 * functions, opens the log (MMAPAUDIT_LOG) and writes the start record,
 * installs the crash handlers, and reads the other MMAPAUDIT_* settings:
 * fault injection (MMAPAUDIT_FAIL, counted here by inject()), the child
 * delay, skipped sleeps, the log's cap.  A bad value is a config record.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"

struct real_calls real;
bool logging;
bool sleep_skip;
long long child_delay_ns;

void resolve(void)
{
#define GET(f) (*(void **)&real.f = dlsym(RTLD_NEXT, #f))
	GET(mmap); GET(munmap); GET(openat); GET(mkostemps); GET(ftruncate);
	GET(close); GET(fork); GET(wait4); GET(waitid);
	GET(sleep); GET(usleep); GET(nanosleep); GET(unlinkat); GET(exit);
	GET(_exit); GET(fopen); GET(fclose); GET(remove);
#undef GET
}

/* --- fault injection: the Nth call of a kind in this process fails ----------- */

static const char *const kind_name[K_N] = {
#define KIND_NAME(id, name) [K_##id] = name,
	INJECT_KINDS(KIND_NAME)
#undef KIND_NAME
};
static struct rule { int kind; unsigned long nth; int err; } rules[16];
static int nrules;
static unsigned long calls[K_N];

bool inject(enum kind k, int *err)
{
	unsigned long n = ++calls[k];

	for (int i = 0; i < nrules; i++)
		if (rules[i].kind == (int)k && rules[i].nth == n) {
			*err = rules[i].err;
			return true;
		}
	return false;
}

/* --- the settings ------------------------------------------------------------- */

static void config_error(const char *var, const char *value, size_t len)
{
	struct rec r;
	char text[PATH_CUT + 1];
	size_t n = 0;

	if (!logging)
		return;
	for (const char *s = var; *s && n < PATH_CUT; s++)
		text[n++] = *s;
	if (n < PATH_CUT)
		text[n++] = '=';
	for (size_t i = 0; i < len && value[i] != '\0' && n < PATH_CUT; i++)
		text[n++] = value[i];
	text[n] = '\0';
	rec_begin(&r, "config", -1, EINVAL, false);
	f_path(&r, text);
	rec_end(&r);
}

/* Digits only, at most 18 of them: the value, or -1. */
static long long number(const char *s, size_t len)
{
	long long v = 0;

	if (len == 0 || len > 18)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int errno_value(const char *s, size_t len)
{
	static const struct { const char *name; int value; } names[] = {
		{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR },
		{ "EIO", EIO }, { "EBADF", EBADF }, { "ECHILD", ECHILD },
		{ "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM }, { "EACCES", EACCES },
		{ "EFAULT", EFAULT }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST },
		{ "ENODEV", ENODEV }, { "ENOTDIR", ENOTDIR }, { "EISDIR", EISDIR },
		{ "EINVAL", EINVAL }, { "ENFILE", ENFILE }, { "EMFILE", EMFILE },
		{ "ETXTBSY", ETXTBSY }, { "EFBIG", EFBIG }, { "ENOSPC", ENOSPC },
		{ "EROFS", EROFS }, { "ENAMETOOLONG", ENAMETOOLONG },
		{ "EOVERFLOW", EOVERFLOW }, { "EDQUOT", EDQUOT }, { "ELOOP", ELOOP },
	};
	long long v = number(s, len);

	if (v > 0 && v < 4096)
		return (int)v;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == len && memcmp(names[i].name, s, len) == 0)
			return names[i].value;
	return -1;
}

/* One "CALL:N:ERRNO" rule of MMAPAUDIT_FAIL. */
static bool fail_rule(const char *s, size_t len)
{
	const char *c1 = memchr(s, ':', len);
	const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - s)) : NULL;
	struct rule rule = { .kind = -1 };

	if (c2 == NULL || nrules == (int)(sizeof rules / sizeof rules[0]))
		return false;
	for (int k = 0; k < K_N; k++)
		if (strlen(kind_name[k]) == (size_t)(c1 - s) &&
		    memcmp(kind_name[k], s, (size_t)(c1 - s)) == 0)
			rule.kind = k;
	long long nth = number(c1 + 1, (size_t)(c2 - c1 - 1));
	rule.err = errno_value(c2 + 1, len - (size_t)(c2 + 1 - s));
	if (rule.kind < 0 || nth < 1 || rule.err < 0)
		return false;
	rule.nth = (unsigned long)nth;
	rules[nrules++] = rule;
	return true;
}

static void configure(void)
{
	const char *v;

	if ((v = getenv("MMAPAUDIT_FAIL")) != NULL)
		for (const char *s = v; *s != '\0';) {
			const char *comma = strchr(s, ',');
			size_t len = comma ? (size_t)(comma - s) : strlen(s);
			if (!fail_rule(s, len))
				config_error("MMAPAUDIT_FAIL", s, len);
			s += len + (comma != NULL);
		}
	if ((v = getenv("MMAPAUDIT_CHILD_DELAY_MS")) != NULL) {
		long long ms = number(v, strlen(v));
		if (ms < 0 || ms > 600000)
			config_error("MMAPAUDIT_CHILD_DELAY_MS", v, strlen(v));
		else
			child_delay_ns = ms * 1000000;
	}
	if ((v = getenv("MMAPAUDIT_SLEEP")) != NULL) {
		if (strcmp(v, "skip") == 0)
			sleep_skip = true;
		else if (v[0] != '\0')
			config_error("MMAPAUDIT_SLEEP", v, strlen(v));
	}
}

/* The log's size cap: MMAPAUDIT_LOG_MAX, and never more than half of
 * RLIMIT_FSIZE, so that our records can never cost the program SIGXFSZ. */
static void log_limit(void)
{
	const char *v = getenv("MMAPAUDIT_LOG_MAX");
	struct rlimit rl;

	if (v != NULL) {
		long long max = number(v, strlen(v));
		if (max < 0)
			config_error("MMAPAUDIT_LOG_MAX", v, strlen(v));
		else
			log_set_cap(max);
	}
	if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (long long)(rl.rlim_cur / 2) < log_get_cap())
		log_set_cap((long long)(rl.rlim_cur / 2));
}

/* glibc passes main's arguments to the constructors of shared objects. */
__attribute__((constructor)) static void audit_init(int argc, char **argv, char **envp)
{
	int e = errno;
	const char *path = getenv("MMAPAUDIT_LOG"), *v;
	char exe[PATH_CUT + 1];
	ssize_t n;

	(void)envp;
	resolve();
	logging = log_start(path);
	if (logging) {
		struct rec r;
		n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		exe[n < 0 ? 0 : n] = '\0';
		rec_begin(&r, "start", 0, 0, false);
		f_dec(&r, FORMAT_VERSION);
		f_dec(&r, argc);
		f_path(&r, n < 0 ? NULL : exe);
		f_path(&r, argc > 0 && argv != NULL ? argv[0] : NULL);
		rec_end(&r);
		log_limit();
		crash_handlers();
		on_exit(on_end, NULL);
	}
	configure();
	v = getenv("MMAPAUDIT_MEMORY");
	if (v != NULL && strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
		config_error("MMAPAUDIT_MEMORY", v, strlen(v));
	memory_config(getenv("MMAPAUDIT_FRAMES"), v != NULL && strcmp(v, "on") == 0);
	errno = e;
}
