/*
 * sources.h: one student's sources of one lab, read as data and made ready
 * for the similarity tester: comments and the skeleton's lines blanked.
 */
#ifndef CLASS_SOURCES_H
#define CLASS_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOURCE_MAX (256 * 1024)	/* bytes of one file; a bigger one is left out */
#define SOURCE_FILES_MAX 32	/* .c and .h files of one lab; the others are left out */

struct source_file {
	char *name;		/* printable UTF-8 (show_bytes) */
	char **line;		/* as written, printable: the regions' text */
	char **bare;		/* without comments, blanks squeezed: what is compared */
	bool *own;		/* code the student wrote: not blank, not comment, not given */
	size_t nlines;
	size_t first;		/* where its line 1 is in lab_text.text (1-based) */
};

struct lab_text {
	struct source_file *file;
	size_t nfiles;
	char *text;		/* what sim_c reads: each file's own code, one after another */
	size_t len;
	size_t own_lines;
	uint64_t hash;		/* of the names and the text */
	char *left_out;		/* "NAME (why); ..." of files not compared, or NULL */
};

/* Reads the .c and .h files of folder lab of the folder parent, never
 * through a link, regular files only, at most SOURCE_MAX bytes each.  The
 * lines of given (the skeleton's lab, or NULL) that the student kept, in
 * their order, are not the student's own.  A lab folder that is missing or
 * is a link gives a text with no files. */
void lab_text_read(struct lab_text *t, int parent, const char *lab, const struct lab_text *given);
void lab_text_free(struct lab_text *t);

/* The file holding line `at` of t->text, and the line in it; NULL if none. */
const struct source_file *lab_text_where(const struct lab_text *t, size_t at, size_t *line);

#endif
