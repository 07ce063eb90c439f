/*
 * sources.c: a student's sources of one lab, read as data (see sources.h).
 *
 * The similarity tester is given copies made here, never the student's
 * files: comments blanked (a skeleton comment the student half kept must
 * not turn into code), then the lines of the skeleton the student kept, in
 * their order (a longest common subsequence of lines), blanked too, so that
 * what every student was given is never shared.  Line numbers stay those of
 * the student's files.
 */
#define _GNU_SOURCE
#include "class/sources.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "class/hash.h"
#include "lang/lang.h"
#include "report/result.h"
#include "run/sys.h"

#define LCS_CELLS (4u << 20)	/* beyond this, a line given is any line of the skeleton */

/* Comment bytes become blanks, newlines kept; strings and characters are
 * skipped over so that a comment opener in one is not a comment. */
static void blank_comments(char *b, size_t len)
{
	enum { CODE, LINE, BLOCK, STRING, CHAR } st = CODE;

	for (size_t i = 0; i < len; i++) {
		char next = i + 1 < len ? b[i + 1] : '\0';
		switch (st) {
		case CODE:
			if (b[i] == '/' && (next == '/' || next == '*')) {
				st = next == '/' ? LINE : BLOCK;
				b[i] = b[i + 1] = ' ';
				i++;
			} else if (b[i] == '"' || b[i] == '\'') {
				st = b[i] == '"' ? STRING : CHAR;
			}
			break;
		case LINE:
			if (b[i] == '\n')
				st = CODE;
			else
				b[i] = ' ';
			break;
		case BLOCK:
			if (b[i] == '*' && next == '/') {
				b[i] = b[i + 1] = ' ';
				i++;
				st = CODE;
			} else if (b[i] != '\n') {
				b[i] = ' ';
			}
			break;
		case STRING:
		case CHAR:
			if (b[i] == '\\' && next != '\0' && next != '\n')
				i++;
			else if (b[i] == '\n' || b[i] == (st == STRING ? '"' : '\''))
				st = CODE;
			break;
		}
	}
}

/* One line, blanks squeezed to one space, none at either end. */
static char *squeeze(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f') {
			if (o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
		} else {
			out[o++] = (char)ch;
		}
	}
	if (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

/* Splits the file's bytes into its lines, as written and bare. */
static void split_lines(struct source_file *f, char *data, size_t len)
{
	char *bare = xmalloc(len + 1);

	memcpy(bare, data, len);
	blank_comments(bare, len);
	for (size_t at = 0; at < len;) {
		size_t end = at;
		while (end < len && data[end] != '\n')
			end++;
		f->line = xrealloc(f->line, (f->nlines + 1) * sizeof(*f->line));
		f->bare = xrealloc(f->bare, (f->nlines + 1) * sizeof(*f->bare));
		f->line[f->nlines] = show_bytes(data + at, end - at, end - at);
		f->bare[f->nlines] = squeeze(bare + at, end - at);
		f->nlines++;
		at = end + 1;
	}
	free(bare);
	f->own = xcalloc(f->nlines ? f->nlines : 1, sizeof(*f->own));
	for (size_t i = 0; i < f->nlines; i++)
		f->own[i] = f->bare[i][0] != '\0';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of g that f kept, in their order, are not f's own. */
static void remove_given(struct source_file *f, const struct source_file *g)
{
	size_t *a = xcalloc(f->nlines + 1, sizeof(*a)), *b = xcalloc(g->nlines + 1, sizeof(*b));
	size_t na = 0, nb = 0;

	for (size_t i = 0; i < f->nlines; i++)
		if (f->own[i])
			a[na++] = i;
	for (size_t j = 0; j < g->nlines; j++)
		if (g->bare[j][0] != '\0')
			b[nb++] = j;
	if (na > 0 && nb > 0 && (na + 1) * (nb + 1) <= LCS_CELLS) {
		/* L[i][j]: the longest common subsequence of a[i..] and b[j..]. */
		size_t w = nb + 1;
		unsigned *L = xcalloc((na + 1) * w, sizeof(*L));
		for (size_t i = na; i-- > 0;)
			for (size_t j = nb; j-- > 0;)
				L[i * w + j] = strcmp(f->bare[a[i]], g->bare[b[j]]) == 0 ?
					L[(i + 1) * w + j + 1] + 1 :
					L[(i + 1) * w + j] > L[i * w + j + 1] ? L[(i + 1) * w + j] :
					L[i * w + j + 1];
		for (size_t i = 0, j = 0; i < na && j < nb;) {
			if (strcmp(f->bare[a[i]], g->bare[b[j]]) == 0) {
				f->own[a[i]] = false;
				i++, j++;
			} else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) {
				i++;
			} else {
				j++;
			}
		}
		free(L);
	} else if (na > 0 && nb > 0) {
		char **sorted = xcalloc(nb, sizeof(*sorted));
		for (size_t j = 0; j < nb; j++)
			sorted[j] = g->bare[b[j]];
		qsort(sorted, nb, sizeof(*sorted), cmp_str);
		for (size_t i = 0; i < na; i++)
			if (bsearch(&f->bare[a[i]], sorted, nb, sizeof(*sorted), cmp_str) != NULL)
				f->own[a[i]] = false;
		free(sorted);
	}
	free(a);
	free(b);
}

/* A line of summary.txt says why: the name on it stays on one line. */
static void left_out(struct lab_text *t, const char *name, const char *why)
{
	char *shown = show_bytes(name, strlen(name), 200);
	char *old = t->left_out;

	for (char *p = shown; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = '?';

	t->left_out = old ? xasprintf("%s; %s (%s)", old, shown, why) : xasprintf("%s (%s)", shown, why);
	free(old);
	free(shown);
}

/* The file's bytes, or NULL (said why in t) if it is not a regular text
 * file of at most SOURCE_MAX bytes. */
static char *read_source(struct lab_text *t, int dfd, const char *name, size_t *len)
{
	struct stat st, opened;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		left_out(t, name, strerror(errno));
		return NULL;
	}
	if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)) {
		left_out(t, name, S_ISLNK(st.st_mode) ? _("a symbolic link") : _("not a regular file"));
		return NULL;
	}
	if (st.st_size > SOURCE_MAX) {
		left_out(t, name, _("over 256 KiB"));
		return NULL;
	}
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &opened) == -1 || !S_ISREG(opened.st_mode) ||
	    opened.st_ino != st.st_ino || opened.st_dev != st.st_dev) {
		left_out(t, name, _("changed while read"));
		if (fd != -1)
			close(fd);
		return NULL;
	}
	char *data = xmalloc(SOURCE_MAX + 1);
	size_t n = 0;
	ssize_t got;
	while (n <= SOURCE_MAX && (got = read(fd, data + n, SOURCE_MAX + 1 - n)) > 0)
		n += (size_t)got;
	close(fd);
	const char *why = n > SOURCE_MAX ? _("over 256 KiB") :
			  memchr(data, '\0', n) != NULL ? _("not text") : NULL;
	if (why != NULL) {
		left_out(t, name, why);
		free(data);
		return NULL;
	}
	*len = n;
	return data;
}

static bool is_source(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 2 && name[len - 2] == '.' &&
	       (name[len - 1] == 'c' || name[len - 1] == 'h');
}

static const struct source_file *find_file(const struct lab_text *t, const char *name)
{
	for (size_t i = 0; t != NULL && i < t->nfiles; i++)
		if (strcmp(t->file[i].name, name) == 0)
			return &t->file[i];
	return NULL;
}

/* t->text, the place of each file in it, and the hash. */
static void assemble(struct lab_text *t)
{
	FILE *f = open_memstream(&t->text, &t->len);
	size_t at = 1;

	if (f == NULL)
		die_errno("open_memstream");
	t->hash = FNV_START;
	for (size_t i = 0; i < t->nfiles; i++) {
		struct source_file *sf = &t->file[i];
		sf->first = at;
		t->hash = fnv(t->hash, sf->name, strlen(sf->name) + 1);
		for (size_t l = 0; l < sf->nlines; l++) {
			fprintf(f, "%s\n", sf->own[l] ? sf->bare[l] : "");
			t->own_lines += sf->own[l];
		}
		at += sf->nlines;
	}
	if (fclose(f) != 0)
		die("out of memory");
	t->hash = fnv(t->hash, t->text, t->len);
}

void lab_text_read(struct lab_text *t, int parent, const char *lab, const struct lab_text *given)
{
	int dfd = openat(parent, lab, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = dfd == -1 ? NULL : fdopendir(dfd);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;

	memset(t, 0, sizeof(*t));
	if (d == NULL && dfd != -1)
		close(dfd);
	struct stat st;
	if (d == NULL && fstatat(parent, lab, &st, AT_SYMLINK_NOFOLLOW) == 0)
		left_out(t, lab, S_ISLNK(st.st_mode) ? _("a symbolic link, not a folder") :
				 _("not a folder"));
	while (d != NULL && (e = readdir(d)) != NULL)
		if (is_source(e->d_name)) {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *data = i < SOURCE_FILES_MAX ? read_source(t, dfd, names[i], &len) : NULL;
		if (i == SOURCE_FILES_MAX)
			left_out(t, names[i], _("one of too many files"));
		if (data != NULL) {
			t->file = xrealloc(t->file, (t->nfiles + 1) * sizeof(*t->file));
			struct source_file *f = &t->file[t->nfiles++];
			memset(f, 0, sizeof(*f));
			f->name = show_bytes(names[i], strlen(names[i]), 200);
			split_lines(f, data, len);
			free(data);
			const struct source_file *g = find_file(given, f->name);
			if (g != NULL)
				remove_given(f, g);
		}
		free(names[i]);
	}
	free(names);
	if (d != NULL)
		closedir(d);
	assemble(t);
}

void lab_text_free(struct lab_text *t)
{
	for (size_t i = 0; i < t->nfiles; i++) {
		struct source_file *f = &t->file[i];
		for (size_t l = 0; l < f->nlines; l++) {
			free(f->line[l]);
			free(f->bare[l]);
		}
		free(f->line);
		free(f->bare);
		free(f->own);
		free(f->name);
	}
	free(t->file);
	free(t->text);
	free(t->left_out);
	memset(t, 0, sizeof(*t));
}

const struct source_file *lab_text_where(const struct lab_text *t, size_t at, size_t *line)
{
	for (size_t i = t->nfiles; i-- > 0;)
		if (at >= t->file[i].first) {
			if (at - t->file[i].first >= t->file[i].nlines)
				return NULL;
			*line = at - t->file[i].first + 1;
			return &t->file[i];
		}
	return NULL;
}
