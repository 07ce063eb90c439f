/*
 * log_query.c: the grader's questions to a loaded audit log (log.h): the
 * mappings a process had at a point of its history (its own and those it
 * inherited across fork), the children it forked and reaped, and what a
 * SIGBUS or SIGSEGV hit, told in one line.  Parsing is in log.c.
 */
#define _GNU_SOURCE
#include "audit/log.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang/lang.h"
#include "run/sys.h"

#define DEPTH_MAX 16		/* fork ancestry followed */
#define NEAR 0x10000		/* "near" an address: within 64 KiB */

/* --- mappings -------------------------------------------------------------------- */

/* Records [begin, end) of pid: one stretch of a process's history. */
struct stretch {
	int pid;
	size_t begin, end;
};

/* The stretches that shaped pid's address space before upto, oldest first:
 * its parent's records up to the fork, then its own since the fork (or
 * since its last exec, which starts afresh).  Returns how many. */
static int ancestry(const struct audit_log *log, int pid, size_t upto,
		    struct stretch out[DEPTH_MAX])
{
	struct stretch rev[DEPTH_MAX];
	int n = 0;

	while (n < DEPTH_MAX) {
		const struct audit_rec *born = NULL;
		size_t begin = 0;
		for (size_t i = upto; i-- > 0;) {
			const struct audit_rec *r = &log->rec[i];
			if (r->pid == pid && (r->call == AUDIT_START ||
					      (r->call == AUDIT_FORK && r->ret == 0))) {
				born = r->call == AUDIT_FORK ? r : NULL;
				begin = i + 1;
				break;
			}
		}
		rev[n++] = (struct stretch){ pid, begin, upto };
		if (born == NULL)
			break;
		/* The parent's fork record may come after the child's first
		 * records in the file; the parent did nothing in between. */
		size_t at = begin - 1;
		for (size_t i = 0; i < log->n; i++)
			if (log->rec[i].pid == born->ppid && log->rec[i].call == AUDIT_FORK &&
			    log->rec[i].ret == pid) {
				at = i;
				break;
			}
		pid = born->ppid;
		upto = at;
	}
	for (int i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	return n;
}

static uint64_t page_up(uint64_t len)
{
	static uint64_t page;

	if (page == 0) {
		long ps = sysconf(_SC_PAGESIZE);
		page = ps > 0 ? (uint64_t)ps : 4096;
	}
	return len > UINT64_MAX - page ? 0 : (len + page - 1) / page * page;
}

static void map_add(struct audit_maps *m, uint64_t start, uint64_t end,
		    const struct audit_rec *mmap, const struct audit_rec *gone)
{
	if (m->n == AUDIT_MAX_MAPS) {
		m->overflow = true;
		return;
	}
	m->map[m->n++] = (struct audit_map){ start, end, mmap, gone };
}

/* [start, end) goes away: live maps overlapping it are cut, the covered
 * part kept as gone (by), the rest still live. */
static void map_remove(struct audit_maps *m, uint64_t start, uint64_t end,
		       const struct audit_rec *by)
{
	size_t n = m->n;

	for (size_t i = 0; i < n; i++) {
		struct audit_map old = m->map[i];
		if (old.gone != NULL || old.end <= start || old.start >= end)
			continue;
		uint64_t cs = old.start > start ? old.start : start;
		uint64_t ce = old.end < end ? old.end : end;
		m->map[i] = (struct audit_map){ cs, ce, old.mmap, by };
		if (old.start < cs)
			map_add(m, old.start, cs, old.mmap, NULL);
		if (ce < old.end)
			map_add(m, ce, old.end, old.mmap, NULL);
	}
}

static void map_apply(struct audit_maps *m, const struct audit_rec *r)
{
	uint64_t start, len;

	if (r->call == AUDIT_MMAP && r->ret != -1) {
		start = (uint64_t)r->ret;
		len = page_up((uint64_t)r->arg[AUDIT_MMAP_LENGTH]);
	} else if (r->call == AUDIT_MUNMAP && r->ret == 0) {
		start = (uint64_t)r->arg[AUDIT_MUNMAP_ADDR];
		len = page_up((uint64_t)r->arg[AUDIT_MUNMAP_LENGTH]);
	} else {
		return;
	}
	if (len == 0 || start + len < start)
		return;
	map_remove(m, start, start + len, r);
	if (r->call == AUDIT_MMAP)
		map_add(m, start, start + len, r, NULL);
}

void audit_maps_at(const struct audit_log *log, int pid, size_t upto,
		   struct audit_maps *maps)
{
	struct stretch s[DEPTH_MAX];
	int ns = ancestry(log, pid, upto < log->n ? upto : log->n, s);

	maps->n = 0;
	maps->overflow = false;
	for (int k = 0; k < ns; k++)
		for (size_t i = s[k].begin; i < s[k].end; i++)
			if (log->rec[i].pid == s[k].pid)
				map_apply(maps, &log->rec[i]);
}

const struct audit_map *audit_maps_find(const struct audit_maps *maps, uint64_t addr)
{
	const struct audit_map *gone = NULL;

	for (size_t i = 0; i < maps->n; i++) {
		const struct audit_map *m = &maps->map[i];
		if (addr < m->start || addr >= m->end)
			continue;
		if (m->gone == NULL)
			return m;
		if (gone == NULL || m->gone > gone->gone)
			gone = m;
	}
	return gone;
}

/* --- children ---------------------------------------------------------------------- */

size_t audit_children(const struct audit_log *log, int pid,
		      struct audit_child *out, size_t max)
{
	size_t count = 0;

	for (size_t i = 0; i < log->n; i++) {
		const struct audit_rec *f = &log->rec[i];
		if (f->pid != pid || f->call != AUDIT_FORK || f->ret <= 0 || f->ret > INT32_MAX)
			continue;
		struct audit_child c = { .pid = (int)f->ret, .fork = f };
		for (size_t j = i + 1; j < log->n && c.wait == NULL; j++) {
			const struct audit_rec *w = &log->rec[j];
			if (w->pid == pid && w->call == AUDIT_WAIT &&
			    w->arg[AUDIT_WAIT_REAPED] == c.pid)
				c.wait = w;
		}
		for (size_t j = 0; j < log->n; j++) {
			const struct audit_rec *e = &log->rec[j];
			if (e->pid == c.pid && (e->call == AUDIT_EXIT || e->call == AUDIT_CRASH))
				c.end = e;
		}
		if (count < max)
			out[count] = c;
		count++;
	}
	return count;
}

/* --- crashes ------------------------------------------------------------------------- */

/* The file's size when the crash came: the crash record's if it could stat
 * the file, else the size at mmap changed by any later ftruncate of the same
 * descriptor before it was closed. */
static int64_t file_size(const struct audit_log *log, const struct audit_rec *mm,
			 const struct audit_rec *crash)
{
	int64_t size = mm->arg[AUDIT_MMAP_FSIZE];
	int64_t fd = mm->arg[AUDIT_MMAP_FD];

	if (crash->arg[AUDIT_CRASH_MSIZE] >= 0)
		return crash->arg[AUDIT_CRASH_MSIZE];
	for (const struct audit_rec *r = mm + 1; r < crash && r < log->rec + log->n; r++) {
		if (r->pid != mm->pid)
			continue;
		if (r->call == AUDIT_CLOSE && r->arg[AUDIT_CLOSE_FD] == fd && r->ret == 0)
			break;
		if (r->call == AUDIT_FTRUNCATE && r->arg[AUDIT_FTRUNCATE_FD] == fd && r->ret == 0)
			size = r->arg[AUDIT_FTRUNCATE_LENGTH];
	}
	return size;
}

/* What the mapping's protection says of the access, given its prot. */
static enum audit_fault prot_fault(int64_t prot, int64_t pferr)
{
	bool write = pferr >= 0 ? (pferr & 2) != 0 : (prot & PROT_READ) != 0;

	return write && !(prot & PROT_WRITE) ? AUDIT_FAULT_READ_ONLY : AUDIT_FAULT_PROT;
}

/* A failed mmap in pid's history before upto: the last one, or NULL. */
static const struct audit_rec *failed_mmap(const struct audit_log *log, int pid, size_t upto)
{
	struct stretch s[DEPTH_MAX];
	int ns = ancestry(log, pid, upto, s);
	const struct audit_rec *last = NULL;

	for (int k = 0; k < ns; k++)
		for (size_t i = s[k].begin; i < s[k].end; i++) {
			const struct audit_rec *r = &log->rec[i];
			if (r->pid == s[k].pid && r->call == AUDIT_MMAP && r->ret == -1)
				last = r;
		}
	return last;
}

void audit_fault_explain(const struct audit_log *log, const struct audit_rec *crash,
			 struct audit_fault_info *info)
{
	memset(info, 0, sizeof *info);
	info->crash = crash;
	info->file_offset = info->file_size = -1;
	if (crash == NULL || crash < log->rec || crash >= log->rec + log->n ||
	    crash->call != AUDIT_CRASH)
		return;

	const int64_t *a = crash->arg;
	uint64_t addr = (uint64_t)a[AUDIT_CRASH_ADDR];
	size_t at = (size_t)(crash - log->rec);
	struct audit_maps *maps = xmalloc(sizeof *maps);
	audit_maps_at(log, crash->pid, at, maps);
	const struct audit_map *m = audit_maps_find(maps, addr);

	if (m != NULL) {
		const struct audit_rec *mm = m->mmap;
		info->mmap = mm;
		info->offset = addr - (uint64_t)mm->ret;
		if (S_ISREG(mm->arg[AUDIT_MMAP_FMODE])) {
			info->file_offset = mm->arg[AUDIT_MMAP_OFFSET] + (int64_t)info->offset;
			info->file_size = file_size(log, mm, crash);
		}
		if (m->gone != NULL) {
			info->kind = AUDIT_FAULT_UNMAPPED;
			info->munmap = m->gone;
		} else if (a[AUDIT_CRASH_SIG] == SIGBUS && info->file_size >= 0 &&
			   info->file_offset >= info->file_size) {
			info->kind = AUDIT_FAULT_PAST_EOF;
		} else if (a[AUDIT_CRASH_SIG] == SIGSEGV && a[AUDIT_CRASH_CODE] == SEGV_ACCERR) {
			info->kind = prot_fault(mm->arg[AUDIT_MMAP_PROT], a[AUDIT_CRASH_PFERR]);
		}
	} else if (addr >= (uint64_t)a[AUDIT_CRASH_MSTART] && addr < (uint64_t)a[AUDIT_CRASH_MEND]) {
		/* A mapping the log missed (a raw syscall): the kernel's view. */
		info->offset = addr - (uint64_t)a[AUDIT_CRASH_MSTART];
		if (crash->path != NULL && crash->path[0] == '/') {
			info->file_offset = a[AUDIT_CRASH_MOFF] + (int64_t)info->offset;
			info->file_size = a[AUDIT_CRASH_MSIZE];
		}
		if (a[AUDIT_CRASH_SIG] == SIGBUS && info->file_size >= 0 &&
		    info->file_offset >= info->file_size)
			info->kind = AUDIT_FAULT_PAST_EOF;
		else if (a[AUDIT_CRASH_SIG] == SIGSEGV && a[AUDIT_CRASH_CODE] == SEGV_ACCERR)
			info->kind = prot_fault(a[AUDIT_CRASH_MPROT], a[AUDIT_CRASH_PFERR]);
	} else if (addr >= UINT64_MAX - NEAR || addr < NEAR) {
		/* MAP_FAILED is (void *)-1: p[k] lands at k-1, wrapping. */
		info->mmap = failed_mmap(log, crash->pid, at);
		info->offset = addr + 1;
		info->kind = info->mmap != NULL ? AUDIT_FAULT_MAP_FAILED :
			     addr < NEAR ? AUDIT_FAULT_NULL : AUDIT_FAULT_UNKNOWN;
	}
	free(maps);
}

static const char *prot_text(int64_t prot, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s", prot & PROT_READ ? "|PROT_READ" : "",
		 prot & PROT_WRITE ? "|PROT_WRITE" : "", prot & PROT_EXEC ? "|PROT_EXEC" : "",
		 prot & (PROT_READ | PROT_WRITE | PROT_EXEC) ? "" : "|PROT_NONE");
	return buf + 1;
}

const char *audit_fault_describe(const struct audit_fault_info *info, char *buf,
				 size_t size)
{
	const struct audit_rec *c = info->crash, *mm = info->mmap;
	char what[64], map[512], prot[64];

	if (c == NULL || c->call != AUDIT_CRASH) {
		snprintf(buf, size, "%s", _("no crash record"));
		return buf;
	}
	const int64_t *a = c->arg;
	int sig = (int)a[AUDIT_CRASH_SIG];
	unsigned long long addr = (unsigned long long)a[AUDIT_CRASH_ADDR];
	const char *name = sigabbrev_np(sig);
	snprintf(what, sizeof what, "SIG%s at %#llx", name ? name : "?", addr);

	/* "the 20-byte MAP_SHARED mapping of hello (PROT_READ)" */
	bool from_log = mm != NULL && info->kind != AUDIT_FAULT_MAP_FAILED;
	const char *path = from_log ? mm->path : c->path;
	const char *base = path != NULL && strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int64_t len = from_log ? mm->arg[AUDIT_MMAP_LENGTH] : a[AUDIT_CRASH_MEND] - a[AUDIT_CRASH_MSTART];
	int64_t flags = from_log ? mm->arg[AUDIT_MMAP_FLAGS] : a[AUDIT_CRASH_MFLAGS];
	int64_t mprot = from_log ? mm->arg[AUDIT_MMAP_PROT] : a[AUDIT_CRASH_MPROT];
	/* One message each, not "of "/"(anonymous)" glued in: a translation
	 * orders the words its own way. */
	const char *share = (flags & MAP_TYPE) == MAP_SHARED ? "MAP_SHARED" : "MAP_PRIVATE";
	if (base != NULL)
		snprintf(map, sizeof map, _("byte %llu of the %lld-byte %s mapping of %s (%s)"),
			 (unsigned long long)info->offset, (long long)len, share, base,
			 prot_text(mprot, prot, sizeof prot));
	else
		snprintf(map, sizeof map, _("byte %llu of the %lld-byte %s mapping (anonymous) (%s)"),
			 (unsigned long long)info->offset, (long long)len, share,
			 prot_text(mprot, prot, sizeof prot));

	switch (info->kind) {
	case AUDIT_FAULT_PAST_EOF:
		snprintf(buf, size, _("%s: %s, which is byte %lld of a file %lld bytes long: "
			 "past the end of the file"), what, map,
			 (long long)info->file_offset, (long long)info->file_size);
		break;
	case AUDIT_FAULT_READ_ONLY:
		snprintf(buf, size, _("%s: a write to %s, which has no PROT_WRITE"), what, map);
		break;
	case AUDIT_FAULT_PROT:
		snprintf(buf, size, _("%s: an access to %s that its protection forbids"), what, map);
		break;
	case AUDIT_FAULT_MAP_FAILED:
		snprintf(buf, size, _("%s: a use of MAP_FAILED ((void *)-1), returned by an mmap "
			 "that failed with %s"), what,
			 strerrorname_np(mm->err) ? strerrorname_np(mm->err) : _("an error"));
		break;
	case AUDIT_FAULT_UNMAPPED:
		snprintf(buf, size, _("%s: %s, after munmap removed it"), what, map);
		break;
	case AUDIT_FAULT_NULL:
		snprintf(buf, size, _("%s: a null pointer"), what);
		break;
	default:
		if (mm != NULL || a[AUDIT_CRASH_MEND] != 0)
			snprintf(buf, size, "%s: %s", what, map);
		else
			snprintf(buf, size, _("%s: in no mapping the audit saw"), what);
		break;
	}
	return buf;
}
