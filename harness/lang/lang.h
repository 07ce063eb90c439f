/*
 * lang.h: the grader's messages go through GNU gettext (po/, the catalogue
 * of the "mmaplab" domain).  _() marks a message translated where it is used;
 * N_() marks one kept in a static table and translated where it is shown.
 * lang_init() picks the language (SPEC §2: --lang, else the locale); the
 * width functions count terminal columns, where a Chinese character takes two.
 */
#ifndef LANG_H
#define LANG_H

#include <libintl.h>
#include <stdbool.h>
#include <stdio.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

/* The languages of the messages: English (the sources') and the catalogue's. */
enum lang { LANG_EN, LANG_ZH_CN };

/* The language named by choice ("en", "zh_CN", "zh_CN.UTF-8", "zh" ...);
 * false for one the grader does not speak. */
bool lang_parse(const char *choice, enum lang *out);

/* The value of --lang in argv (before any "--"), NULL if none: the language
 * must be known before the first message, usage errors included. */
const char *lang_option(int argc, char *const argv[]);

/* Sets the language: choice (from --lang), or with NULL the environment's
 * (LANGUAGE's first entry, else LC_ALL, LC_MESSAGES, LANG).  Chinese needs
 * no zh_CN locale on the machine: it runs under C.UTF-8 with LANGUAGE set.
 * The catalogue is looked for beside the binary (build tree, then installed
 * copy); without one the messages stay English, and stderr says why.
 * Numbers, sorting and times stay in the C locale whatever the language.
 * Returns false for a choice that names no language (the caller says so). */
bool lang_init(const char *choice);

/* The language in use: "en" or "zh_CN". */
const char *lang_name(void);

/* Columns UTF-8 text s takes in a terminal (wide characters two, combining
 * ones none, an invalid byte one), up to its end or a newline. */
int lang_width(const char *s);

/* Writes s and then spaces up to width columns (none if s is wider). */
void lang_pad(FILE *f, const char *s, int width);
/* The same, right-aligned: the spaces first. */
void lang_pad_left(FILE *f, const char *s, int width);

/* The longest prefix of s (in bytes) that fits in width columns, cut only
 * between characters. */
size_t lang_fit(const char *s, int width);

#endif
