/*
 * class_page.h: RESULTS_DIR/index.html, the class page (class_page.c).
 */
#ifndef CLASS_PAGE_H
#define CLASS_PAGE_H

#include <stdbool.h>

/* Writes out_dir/index.html (atomically) from what class mode wrote in
 * out_dir: grades.csv, students/ID.json, histogram.svg, similarity.json;
 * any of them may be missing.  False, said on stderr, if it could not. */
bool write_class_page(const char *out_dir);

#endif
