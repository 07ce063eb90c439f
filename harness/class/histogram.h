/*
 * histogram.h: the class's totals in bins, drawn by gnuplot.
 */
#ifndef CLASS_HISTOGRAM_H
#define CLASS_HISTOGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "class/state.h"

struct histogram {
	int width;		/* points per bin */
	size_t nbins;
	size_t *count;
};

/* About 20 bins over 0..max, each a whole number of points. */
void histogram(struct histogram *h, const int *totals, size_t n, int max);
void bin_label(char *buf, size_t size, const struct histogram *h, size_t b, int max);
/* histogram.gp keeps the data, so that `gnuplot histogram.gp` redraws it. */
char *gnuplot_script(const struct histogram *h, size_t n, int max);
/* Runs gnuplot on histogram.gp in RESULTS_DIR; false (said why) if it could not. */
bool draw_histogram(const struct class *c);

#endif
