/*
 * html.h: the pieces the HTML pages share (the student's report, html.c; the
 * class page, class_page.c; Gradescope's per-test output, gradescope.c):
 * escaping, the page's head with its style sheet, a failed check's detail
 * and the memory picture as SVG.
 *
 * Every string that reaches a page goes through html_text(): whatever bytes
 * it holds, they come out as text (entities, \xNN), never as markup.
 */
#ifndef HTML_H
#define HTML_H

#include <stdio.h>

#include "report/result.h"

/* s escaped for text and attribute values alike; at most max bytes of it
 * (cut at a character, with a note of how much was left out). */
void html_text_max(FILE *f, const char *s, size_t max);
void html_text(FILE *f, const char *s);
/* s as a <pre>, capped like html_text_max. */
void html_pre(FILE *f, const char *cls, const char *s, size_t max);
/* s as one path segment of a link: bytes other than [A-Za-z0-9._-] as %XX. */
void html_url_segment(FILE *f, const char *s);

/* <!doctype html> up to <body>: the style sheet, and a policy that lets
 * nothing load; script_nonce, when not NULL, lets the page's own inline
 * script run (and no other). */
void html_head(FILE *f, const char *lang, const char *title, const char *script_nonce);

/* A failed check's hint, command line, expected against seen, and traced
 * calls: semantic markup (<mark>, <ol>, <table>) that reads without the
 * style sheet too, as Gradescope shows it. */
void html_check_detail(FILE *f, const struct check *c);

/* The lab's memory picture as inline SVG; nothing if it has none. */
void html_memory_svg(FILE *f, const struct lab_result *lab);

/* Caps, so that a page stays small whatever a program printed. */
#define HTML_BLOCK_MAX (8 * 1024)	/* bytes of one block of text */
#define HTML_DIFF_BYTES (16 * 1024)	/* of one comparison's table */
#define HTML_CELL_MAX 2048		/* bytes of one line in a comparison */
#define HTML_DIFF_LINES 120		/* lines of a comparison */

#endif
