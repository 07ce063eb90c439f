/*
 * trace.c: a failed check's timeline from the audit log of its run (see
 * trace.h): one entry per call, its arguments and result in a few words,
 * the child's calls named as such.  The log was written by the program under
 * test: every path goes through show_bytes() before it enters the model.
 */
#define _GNU_SOURCE
#include "audit/trace.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lang/lang.h"
#include "run/sys.h"

/* Records worth showing: not the exec's start, the child's own copy of the
 * fork, or a bad setting of the library. */
static bool shown(const struct audit_rec *r)
{
	return r->call != AUDIT_START && r->call != AUDIT_CONFIG &&
	       !(r->call == AUDIT_FORK && r->ret == 0);
}

static bool failed(const struct audit_rec *r)
{
	return r->err != 0 || r->call == AUDIT_CRASH ||
	       (r->call == AUDIT_MMAP && r->ret == -1);
}

static const char *prot_name(int64_t prot, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s", prot == 0 ? "PROT_NONE" : "",
		 prot & PROT_READ ? "PROT_READ" : "",
		 (prot & PROT_READ) && (prot & PROT_WRITE) ? "|" : "",
		 prot & PROT_WRITE ? "PROT_WRITE" : "");
	return buf;
}

static const char *open_flags(int64_t flags, char *buf, size_t size)
{
	static const char *const mode[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };

	snprintf(buf, size, "%s%s%s%s", mode[flags & O_ACCMODE], flags & O_CREAT ? "|O_CREAT" : "",
		 flags & O_TRUNC ? "|O_TRUNC" : "", flags & O_EXCL ? "|O_EXCL" : "");
	return buf;
}

/* What the call was given and gave back; malloc'd, printable. */
static char *describe(const struct audit_log *log, const struct audit_rec *r)
{
	const int64_t *a = r->arg;
	char b1[64], *path = r->path != NULL ? show_bytes(r->path, strlen(r->path), 120) : NULL;
	char *d;

	switch (r->call) {
	case AUDIT_OPEN:
		d = xasprintf("%s, %s \u2192 fd %lld", path ? path : "-",
			      open_flags(a[AUDIT_OPEN_FLAGS], b1, sizeof(b1)), (long long)r->ret);
		break;
	case AUDIT_CLOSE:
		d = xasprintf("fd %lld", (long long)a[AUDIT_CLOSE_FD]);
		break;
	case AUDIT_FTRUNCATE:
		d = xasprintf(_("fd %lld, %lld bytes"), (long long)a[AUDIT_FTRUNCATE_FD],
			      (long long)a[AUDIT_FTRUNCATE_LENGTH]);
		break;
	case AUDIT_MMAP: {
		char ret[32];
		if (r->ret == -1)
			snprintf(ret, sizeof(ret), "MAP_FAILED");
		else
			snprintf(ret, sizeof(ret), "0x%llx", (unsigned long long)r->ret);
		d = xasprintf(_("%lld bytes, %s, %s, fd %lld \u2192 %s"),
			      (long long)a[AUDIT_MMAP_LENGTH], prot_name(a[AUDIT_MMAP_PROT], b1, sizeof(b1)),
			      a[AUDIT_MMAP_FLAGS] & MAP_SHARED ? "MAP_SHARED" : "MAP_PRIVATE",
			      (long long)a[AUDIT_MMAP_FD], ret);
		break;
	}
	case AUDIT_MUNMAP:
		d = xasprintf(_("0x%llx, %lld bytes"), (unsigned long long)a[AUDIT_MUNMAP_ADDR],
			      (long long)a[AUDIT_MUNMAP_LENGTH]);
		break;
	case AUDIT_FORK:
		d = xasprintf(_("\u2192 child %lld"), (long long)r->ret);
		break;
	case AUDIT_WAIT:
		d = xasprintf(_("pid %lld \u2192 reaped %lld, status 0x%llx"), (long long)a[AUDIT_WAIT_PID],
			      (long long)a[AUDIT_WAIT_REAPED], (unsigned long long)a[AUDIT_WAIT_STATUS]);
		break;
	case AUDIT_SLEEP:
		d = xasprintf(_("%.3f s"), (double)a[AUDIT_SLEEP_NS] / 1e9);
		break;
	case AUDIT_UNLINK:
		d = xstrdup(path ? path : "-");
		break;
	case AUDIT_EXIT:
		d = a[AUDIT_EXIT_STATUS] == -1 ? xstrdup(_("main returned")) :
		    xasprintf(_("status %lld"), (long long)a[AUDIT_EXIT_STATUS]);
		break;
	case AUDIT_CRASH: {
		struct audit_fault_info info;
		char line[512];
		audit_fault_explain(log, r, &info);
		d = xstrdup(audit_fault_describe(&info, line, sizeof(line)));
		break;
	}
	case AUDIT_FULL:
		d = xstrdup(_("the log is full: later calls were not recorded"));
		break;
	default:
		d = xstrdup("");
	}
	free(path);
	if (r->err != 0) {
		const char *name = strerrorname_np(r->err);
		char *more = xasprintf("%s; %s %s%s", d, _("failed:"), name ? name : "?",
				       r->injected ? _(" (made to fail by the grader)") : "");
		free(d);
		d = more;
	}
	int main_pid = audit_main_pid(log);
	if (main_pid != 0 && r->pid != main_pid) {
		char *more = xasprintf(_("child %d: %s"), r->pid, d);
		free(d);
		d = more;
	}
	return d;
}

static void add(struct check *c, char *call, char *detail, bool fail, bool marked)
{
	c->trace = xrealloc(c->trace, (c->ntrace + 1) * sizeof(*c->trace));
	c->trace[c->ntrace++] = (struct trace_call){ call, detail, fail, marked };
}

static void trace_clear(struct check *c)
{
	for (size_t i = 0; i < c->ntrace; i++) {
		free(c->trace[i].call);
		free(c->trace[i].detail);
	}
	free(c->trace);
	c->trace = NULL;
	c->ntrace = 0;
	free(c->missing_call);
	c->missing_call = NULL;
}

void trace_fill(struct check *c, const struct audit_log *log, const struct audit_rec *blame,
		const char *missing)
{
	trace_clear(c);
	if (missing != NULL)
		c->missing_call = show_bytes(missing, strlen(missing), 64);
	/* the records shown, by index into log */
	size_t *idx = xmalloc((log->n + 1) * sizeof(*idx)), n = 0, b = SIZE_MAX;
	for (size_t i = 0; i < log->n; i++)
		if (shown(&log->rec[i]))
			idx[n++] = i;
	if (blame == NULL)
		for (size_t k = 0; k < n && blame == NULL; k++)
			if (log->rec[idx[k]].call == AUDIT_CRASH)
				blame = &log->rec[idx[k]];
	for (size_t k = 0; k < n && blame == NULL; k++)
		if (failed(&log->rec[idx[k]]))
			blame = &log->rec[idx[k]];
	for (size_t k = 0; k < n; k++)
		if (&log->rec[idx[k]] == blame)
			b = k;
	/* kept: the first calls, those around the blamed one, the last ones */
	const size_t head = TRACE_MAX / 2, around = TRACE_MAX / 6, tail = TRACE_MAX / 6;
	size_t skipped = 0;
	for (size_t k = 0; k < n; k++) {
		bool keep = n <= TRACE_MAX || k < head || k + tail >= n ||
			    (b != SIZE_MAX && k + around >= b && k <= b + around);
		if (!keep) {
			skipped++;
			continue;
		}
		if (skipped > 0) {
			add(c, xstrdup("\u2026"), xasprintf(_("%zu calls more"), skipped), false, false);
			skipped = 0;
		}
		const struct audit_rec *r = &log->rec[idx[k]];
		char *call = show_bytes(r->fn, strnlen(r->fn, sizeof(r->fn)), sizeof(r->fn));
		add(c, call, describe(log, r), failed(r), k == b);
	}
	free(idx);
}
