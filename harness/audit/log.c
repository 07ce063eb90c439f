/*
 * log.c: the grader's reader of the audit log (log.h): loading the file the
 * preloaded library wrote, one strictly parsed record per line, and walking
 * the records.  The questions asked of them are in log_query.c.
 *
 * Records are parsed strictly: a line whose fields do not match its call's
 * field list exactly is not a record.  Everything is bounded: the bytes read,
 * the line length, the number of records.
 */
#define _GNU_SOURCE
#include "audit/log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "run/sys.h"

#define READ_MAX (16 << 20)	/* bytes of log read */
#define LINE_MAX_ 4096		/* the library never writes a longer line */
#define RECS_MAX 200000
#define TOKENS_MAX 32

/* Each call's fields after the common head: n a number, p a path. */
static const struct {
	const char *fn;
	enum audit_call call;
	const char *fields;
} calls[] = {
	{ "start", AUDIT_START, "nnpp" },
	{ "open", AUDIT_OPEN, "npnn" },
	{ "openat", AUDIT_OPEN, "npnn" },
	{ "creat", AUDIT_OPEN, "npnn" },
	{ "mkstemp", AUDIT_OPEN, "npnn" },
	{ "fopen", AUDIT_OPEN, "npnn" },
	{ "close", AUDIT_CLOSE, "n" },
	{ "fclose", AUDIT_CLOSE, "n" },
	{ "ftruncate", AUDIT_FTRUNCATE, "nn" },
	{ "mmap", AUDIT_MMAP, "nnnnnnnnp" },
	{ "munmap", AUDIT_MUNMAP, "nn" },
	{ "fork", AUDIT_FORK, "n" },
	{ "vfork", AUDIT_FORK, "n" },
	{ "wait", AUDIT_WAIT, "nnnn" },
	{ "waitpid", AUDIT_WAIT, "nnnn" },
	{ "wait4", AUDIT_WAIT, "nnnn" },
	{ "waitid", AUDIT_WAIT, "nnnn" },
	{ "sleep", AUDIT_SLEEP, "n" },
	{ "usleep", AUDIT_SLEEP, "n" },
	{ "nanosleep", AUDIT_SLEEP, "n" },
	{ "unlink", AUDIT_UNLINK, "npn" },
	{ "unlinkat", AUDIT_UNLINK, "npn" },
	{ "remove", AUDIT_UNLINK, "npn" },
	{ "exit", AUDIT_EXIT, "nn" },
	{ "_exit", AUDIT_EXIT, "nn" },
	{ "return", AUDIT_EXIT, "nn" },
	{ "crash", AUDIT_CRASH, "nnnnnnnnnnnp" },
	{ "full", AUDIT_FULL, "" },
	{ "config", AUDIT_CONFIG, "p" },
	{ "read", AUDIT_READ, "nnnnn" },
	{ "pread", AUDIT_READ, "nnnnn" },
	{ "readv", AUDIT_READ, "nnnnn" },
	{ "preadv", AUDIT_READ, "nnnnn" },
	{ "reads", AUDIT_READS, "nnn" },
	{ "sysconf", AUDIT_PAGESIZE, "" },
	{ "getpagesize", AUDIT_PAGESIZE, "" },
	{ "memory", AUDIT_MEMORY, "pnnnnnnnnnnnnnnn" },
};

/* A decimal, 0x-hex or 0-octal number, optionally negative; nothing else. */
static bool number(const char *s, int64_t *v)
{
	bool neg = *s == '-';
	char *end;

	if (neg)
		s++;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	unsigned long long u = strtoull(s, &end, 0);
	if (*end != '\0' || errno != 0)
		return false;
	*v = (int64_t)(neg ? 0 - u : u);
	return true;
}

static bool int_number(const char *s, int *v, int min)
{
	int64_t x;

	if (!number(s, &x) || x < min || x > INT32_MAX)
		return false;
	*v = (int)x;
	return true;
}

static int hexdigit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* "-" is no path; %XX is a byte.  false on a bad escape. */
static bool path_token(const char *t, char **out)
{
	size_t n = 0;
	char *p;

	*out = NULL;
	if (strcmp(t, "-") == 0)
		return true;
	p = xmalloc(strlen(t) + 1);
	for (; *t != '\0'; t++) {
		if (*t != '%') {
			p[n++] = *t;
			continue;
		}
		int hi = hexdigit(t[1]), lo = hi < 0 ? -1 : hexdigit(t[2]);
		if (lo < 0) {
			free(p);
			return false;
		}
		p[n++] = (char)(hi << 4 | lo);
		t += 2;
	}
	p[n] = '\0';
	*out = p;
	return true;
}

static void rec_free(struct audit_rec *r)
{
	free(r->path);
	free(r->path2);
	r->path = r->path2 = NULL;
}

/* One line (NUL-terminated, no newline) into r; false if not a record. */
static bool parse_line(char *line, struct audit_rec *r)
{
	char *tok[TOKENS_MAX];
	int nt = 0, inj, npaths = 0;
	const char *fields = NULL;

	memset(r, 0, sizeof *r);
	for (char *p = line;; p++) {
		if (nt == TOKENS_MAX || *p == ' ' || *p == '\0')
			return false;	/* too many, or an empty token */
		tok[nt++] = p;
		if ((p = strchr(p, ' ')) == NULL)
			break;
		*p = '\0';
	}
	if (nt < 8)
		return false;
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
		if (strcmp(tok[4], calls[i].fn) == 0) {
			fields = calls[i].fields;
			r->call = calls[i].call;
			strcpy(r->fn, calls[i].fn);
		}
	int64_t seq;
	if (fields == NULL || nt != 8 + (int)strlen(fields) ||
	    !number(tok[0], &seq) || seq < 0 || !int_number(tok[1], &r->pid, 1) ||
	    !int_number(tok[2], &r->ppid, 0) || !number(tok[3], &r->t_ns) ||
	    !number(tok[5], &r->ret) || !int_number(tok[6], &r->err, 0) ||
	    !int_number(tok[7], &inj, 0) || inj > 1)
		return false;
	r->seq = (long)seq;
	r->injected = inj;
	for (int i = 0; fields[i] != '\0'; i++) {
		const char *t = tok[8 + i];
		if (fields[i] == 'n') {
			if (!number(t, &r->arg[r->nargs++]))
				return false;
		} else if (!path_token(t, npaths++ == 0 ? &r->path : &r->path2)) {
			rec_free(r);
			return false;
		}
	}
	return true;
}

int audit_log_load(const char *file, struct audit_log *log)
{
	size_t len, cap = 0;
	char *buf;

	memset(log, 0, sizeof *log);
	/* One byte more than is parsed tells a log that was too big. */
	if ((buf = read_file(file, READ_MAX + 1, &len)) == NULL)
		return -1;
	if (len > READ_MAX) {
		len = READ_MAX;
		log->cut = true;
	}
	for (char *line = buf; line < buf + len;) {
		char *nl = memchr(line, '\n', (size_t)(buf + len - line));
		struct audit_rec r;
		if (nl == NULL) {	/* a torn last line */
			log->cut = true;
			log->bad++;
			break;
		}
		*nl = '\0';
		bool ok = nl - line < LINE_MAX_ && strlen(line) == (size_t)(nl - line) &&
			  parse_line(line, &r);
		line = nl + 1;
		if (!ok) {
			log->bad++;
			continue;
		}
		if (log->n == RECS_MAX) {
			log->cut = true;
			rec_free(&r);
			break;
		}
		if (log->n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			log->rec = xrealloc(log->rec, cap * sizeof *log->rec);
		}
		log->full |= r.call == AUDIT_FULL;
		log->rec[log->n++] = r;
	}
	free(buf);
	return 0;
}

void audit_log_free(struct audit_log *log)
{
	for (size_t i = 0; i < log->n; i++)
		rec_free(&log->rec[i]);
	free(log->rec);
	memset(log, 0, sizeof *log);
}

const struct audit_rec *audit_next(const struct audit_log *log, size_t *pos,
				   int pid, enum audit_call call)
{
	for (; *pos < log->n; (*pos)++) {
		const struct audit_rec *r = &log->rec[*pos];
		if ((pid == 0 || r->pid == pid) && (call == AUDIT_ANY || r->call == call)) {
			(*pos)++;
			return r;
		}
	}
	return NULL;
}

int audit_main_pid(const struct audit_log *log)
{
	size_t pos = 0;
	const struct audit_rec *r = audit_next(log, &pos, 0, AUDIT_START);

	return r != NULL ? r->pid : 0;
}
