/*
 * result.c: the result model (see result.h).
 */
#define _GNU_SOURCE
#include "report/result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/sys.h"
#include "lang/lang.h"

struct lab_result *report_add_lab(struct report *r, const char *id)
{
	r->labs = xrealloc(r->labs, (r->nlabs + 1) * sizeof(*r->labs));
	struct lab_result *lab = &r->labs[r->nlabs++];
	memset(lab, 0, sizeof(*lab));
	lab->id = xstrdup(id);
	return lab;
}

struct check *lab_add_check(struct lab_result *lab, int max_score, const char *fmt, ...)
{
	va_list ap;
	char *name;

	va_start(ap, fmt);
	if (vasprintf(&name, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	lab->checks = xrealloc(lab->checks, (lab->nchecks + 1) * sizeof(*lab->checks));
	struct check *c = xcalloc(1, sizeof(*c));
	lab->checks[lab->nchecks++] = c;
	c->name = name;
	c->max_score = max_score;
	return c;
}

void check_pass(struct check *c)
{
	c->passed = true;
	c->score = c->max_score;
}

void check_fail(struct check *c, const char *expected, const char *actual,
		const char *hint_fmt, ...)
{
	/* Copies first: expected or actual may be c's own strings. */
	char *e = expected ? xstrdup(expected) : NULL, *a = actual ? xstrdup(actual) : NULL;

	c->passed = false;
	c->score = 0;
	free(c->expected);
	free(c->actual);
	free(c->hint);
	c->expected = e;
	c->actual = a;
	c->hint = NULL;
	if (hint_fmt != NULL) {
		va_list ap;
		va_start(ap, hint_fmt);
		if (vasprintf(&c->hint, hint_fmt, ap) < 0)
			die("out of memory");
		va_end(ap);
	}
}

void report_total(struct report *r)
{
	r->score = r->max_score = 0;
	for (size_t i = 0; i < r->nlabs; i++) {
		struct lab_result *lab = &r->labs[i];
		lab->score = lab->max_score = 0;
		for (size_t j = 0; j < lab->nchecks; j++) {
			lab->score += lab->checks[j]->score;
			lab->max_score += lab->checks[j]->max_score;
		}
		r->score += lab->score;
		r->max_score += lab->max_score;
	}
}

static void check_free(struct check *c)
{
	free(c->id);
	free(c->name);
	free(c->expected);
	free(c->actual);
	free(c->hint);
	free(c->cmdline);
	for (size_t i = 0; i < c->ntrace; i++) {
		free(c->trace[i].call);
		free(c->trace[i].detail);
	}
	free(c->trace);
	free(c->missing_call);
	free(c);
}

void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nlabs; i++) {
		struct lab_result *lab = &r->labs[i];
		for (size_t j = 0; j < lab->nchecks; j++) {
			check_free(lab->checks[j]);
		}
		for (size_t j = 0; j < lab->nmemory; j++) {
			free(lab->memory[j].run);
			free(lab->memory[j].process);
			free(lab->memory[j].moment);
		}
		free(lab->memory);
		free(lab->checks);
		free(lab->id);
		free(lab->build_log);
	}
	free(r->labs);
	free(r->submission);
	free(r->sandbox);
	memset(r, 0, sizeof(*r));
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned min;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, min = 0x80, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, min = 0x800, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, min = 0x10000, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *show_bytes(const char *data, size_t len, size_t max)
{
	size_t shown = len < max ? len : max;
	/* TRANSLATORS: after output cut short; %zu is a number of bytes */
	const char *more = _("... (%zu more bytes)");
	char *out = xmalloc(shown * 4 + strlen(more) + 32);
	size_t o = 0;
	const unsigned char *s = (const unsigned char *)data;

	for (size_t i = 0; i < shown;) {
		size_t n = utf8_len(s + i, shown - i);
		if (n == 1 && (s[i] >= 0x20 || s[i] == '\n' || s[i] == '\t') && s[i] != 0x7f) {
			out[o++] = (char)s[i++];
		} else if (n > 1 && !(n == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0)) {
			/* (U+0080..U+009F are C1 controls: CSI is one of them) */
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		} else {
			o += (size_t)sprintf(out + o, "\\x%02x", s[i++]);
		}
	}
	if (shown < len)
		o += (size_t)sprintf(out + o, more, len - shown);
	out[o] = '\0';
	return out;
}
