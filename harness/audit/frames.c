/*
 * frames.c: the frame reader (frames.h): a root process per run that reads
 * /proc/PID/pagemap for the run's own processes when they ask, and the
 * grader's merge of what it read into the audit log's memory records.
 *
 * What keeps it safe: it reads only for the process on the other end of the
 * connection, as the kernel names it (SO_PEERCRED: an unprivileged sender
 * cannot give another pid), and only if that process's uids are all the
 * run's; it opens /proc/PID once and reads status and pagemap through that
 * descriptor (a pid reused meanwhile gives ESRCH, not another process); it
 * answers at most ASKS_MAX requests of at most MEMORY_PAGES pages; it writes
 * to a root-owned file the program cannot open; it dies with its parent.
 */
#define _GNU_SOURCE
#include "audit/frames.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit/frames_proto.h"
#include "lang/lang.h"
#include "run/run.h"
#include "run/sys.h"

#define ASKS_MAX 64

/* The uids of /proc/PID (dir) all equal uid; its innermost pid (NSpid: what
 * getpid() says inside a pid namespace) into *nspid. */
static bool process_of(int dir, uid_t uid, long *nspid)
{
	char buf[4096];
	int fd = openat(dir, "status", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	bool ok = false;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	const char *u = strstr(buf, "\nUid:"), *p = strstr(buf, "\nNSpid:");
	unsigned long r, e, s, fs;
	if (u != NULL && sscanf(u, "\nUid: %lu %lu %lu %lu", &r, &e, &s, &fs) == 4)
		ok = r == uid && e == uid && s == uid && fs == uid;
	if (p != NULL) {
		const char *end = strchr(p + 1, '\n');
		const char *last = end != NULL ? end : p;
		while (last > p && last[-1] != '\t' && last[-1] != ' ')
			last--;
		*nspid = strtol(last, NULL, 10);
	} else if (u != NULL) {
		ok = false;
	}
	return ok && *nspid > 0;
}

/* One request on connection c: read, check, write a line to out, answer. */
static void answer(int c, uid_t uid, FILE *out)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	struct memory_ask ask;
	struct timeval tv = { 1, 0 };
	uint64_t pm[MEMORY_PAGES] = { 0 };
	char dirname[32];
	long nspid = 0, page = sysconf(_SC_PAGESIZE);

	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 || cred.uid != uid ||
	    recv(c, &ask, sizeof ask, 0) != (ssize_t)sizeof ask ||
	    ask.npages < 1 || ask.npages > MEMORY_PAGES)
		return;
	ask.moment[sizeof ask.moment - 1] = '\0';
	if (strcmp(ask.moment, "child-exit") != 0 && strcmp(ask.moment, "parent-wait") != 0)
		return;
	snprintf(dirname, sizeof dirname, "/proc/%d", (int)cred.pid);
	int dir = open(dirname, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return;
	int fd = process_of(dir, uid, &nspid) ? openat(dir, "pagemap", O_RDONLY | O_CLOEXEC) : -1;
	ssize_t got = fd < 0 ? -1 : pread(fd, pm, (size_t)ask.npages * sizeof pm[0],
					  (off_t)(ask.addr / (uint64_t)page * sizeof pm[0]));
	if (fd >= 0)
		close(fd);
	/* Still the run's process after the read, not one the pid was reused for. */
	if (got == (ssize_t)((size_t)ask.npages * sizeof pm[0]) && process_of(dir, uid, &nspid)) {
		fprintf(out, "%ld %s %#llx %d", nspid, ask.moment, (unsigned long long)ask.addr,
			ask.npages);
		for (int k = 0; k < MEMORY_PAGES; k++)
			fprintf(out, " %#llx", (unsigned long long)pm[k]);
		fputc('\n', out);
		fflush(out);
	}
	close(dir);
	(void)!send(c, "", 1, MSG_NOSIGNAL);
}

/* The reader's life: the socket listens already, so no ask is lost while it
 * starts; it ends when killed, or after ASKS_MAX asks. */
static _Noreturn void serve(int listener, uid_t uid, FILE *out)
{
	for (int i = 0; i < ASKS_MAX; i++) {
		int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;
		}
		answer(c, uid, out);
		close(c);
	}
	fclose(out);
	_exit(0);
}

bool frames_start(struct frames *f, const char *base, uid_t uid, gid_t gid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	FILE *out = NULL;
	int s = -1;

	memset(f, 0, sizeof *f);
	if (geteuid() != 0 || uid == 0)
		return false;
	f->socket = xasprintf("%s.sock", base);
	f->out = xasprintf("%s.frames", base);
	if (strlen(f->socket) >= sizeof sa.sun_path) {
		frames_stop(f);
		return false;
	}
	strcpy(sa.sun_path, f->socket);
	unlink(f->socket);
	unlink(f->out);
	/* Only the run's uid may connect: the socket is its, mode 0600.  The
	 * file is root's, made here, before the run can race for its name. */
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) == -1 ||
	    chown(f->socket, uid, gid) == -1 || chmod(f->socket, 0600) == -1 ||
	    listen(s, 8) == -1 || (out = fopen(f->out, "wxe")) == NULL) {
		if (s >= 0)
			close(s);
		frames_stop(f);
		return false;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == -1)
		die_errno("%s", _("fork (the frame reader)"));
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		serve(s, uid, out);
	}
	close(s);
	fclose(out);
	run_protect(pid, true);
	f->pid = pid;
	return true;
}

void frames_stop(struct frames *f)
{
	if (f->pid > 0) {
		kill(f->pid, SIGKILL);
		while (waitpid(f->pid, NULL, 0) == -1 && errno == EINTR)
			;
		run_protect(f->pid, false);
	}
	if (f->socket != NULL)
		unlink(f->socket);
	free(f->socket);
	free(f->out);		/* the file stays, for audit_frames_merge() */
	memset(f, 0, sizeof *f);
}

void audit_frames_merge(struct audit_log *log, const char *base)
{
	char *file = xasprintf("%s.frames", base);
	size_t len;
	char *text = read_file(file, 1 << 20, &len);

	unlink(file);
	free(file);
	if (text == NULL)
		return;
	log->frames = true;
	bool *used = xcalloc(log->n + 1, sizeof *used);
	for (char *line = text, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		char moment[24];
		long pid;
		unsigned long long addr, pm[MEMORY_PAGES];
		int npages, off = 0;
		*nl = '\0';
		if (sscanf(line, "%ld %23s %llx %d%n", &pid, moment, &addr, &npages, &off) != 4)
			continue;
		bool ok = true;
		for (int k = 0; k < MEMORY_PAGES && ok; k++) {
			int more = 0;
			ok = sscanf(line + off, " %llx%n", &pm[k], &more) == 1;
			off += more;
		}
		/* The first memory record of that process, moment and address
		 * not given its frames yet. */
		for (size_t i = 0; ok && i < log->n; i++) {
			struct audit_rec *r = &log->rec[i];
			if (used[i] || r->call != AUDIT_MEMORY || r->pid != pid || r->path == NULL ||
			    strcmp(r->path, moment) != 0 || (uint64_t)r->arg[AUDIT_MEMORY_ADDR] != addr)
				continue;
			used[i] = true;
			r->root_read = true;
			for (int k = 0; k < MEMORY_PAGES; k++)
				r->arg[AUDIT_MEMORY_PAGEMAP + k] = (int64_t)pm[k];
			break;
		}
	}
	free(used);
	free(text);
}
