/*
 * histogram.c: the class's totals in bins, histogram.gp (the data and the
 * gnuplot script) and the pictures gnuplot draws from it.
 */
#define _GNU_SOURCE
#include "class/histogram.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lang/lang.h"
#include "run/sys.h"

extern char **environ;

/* About 20 bins over 0..max, each a whole number of points. */
void histogram(struct histogram *h, const int *totals, size_t n, int max)
{
	h->width = (max + 20) / 20 > 0 ? (max + 20) / 20 : 1;
	h->nbins = (size_t)(max / h->width + 1);
	h->count = xcalloc(h->nbins, sizeof(*h->count));
	for (size_t i = 0; i < n; i++) {
		int t = totals[i] < 0 ? 0 : totals[i] > max ? max : totals[i];
		h->count[t / h->width]++;
	}
}

void bin_label(char *buf, size_t size, const struct histogram *h, size_t b, int max)
{
	int lo = (int)b * h->width, hi = lo + h->width - 1 > max ? max : lo + h->width - 1;

	if (lo == hi)
		snprintf(buf, size, "%d", lo);
	else
		snprintf(buf, size, "%d-%d", lo, hi);
}


/* histogram.gp keeps the data, so that `gnuplot histogram.gp` redraws it. */
char *gnuplot_script(const struct histogram *h, size_t n, int max)
{
	char *text;
	size_t size;
	FILE *f = open_memstream(&text, &size);

	if (f == NULL)
		die_errno("open_memstream");
	fputs("# The class's totals, written by grade --class: `gnuplot histogram.gp`\n"
	      "# redraws histogram.svg and histogram.png.\n"
	      "if (!exists(\"svg\")) svg = \"histogram.svg\"\n"
	      "if (!exists(\"png\")) png = \"histogram.png\"\n$totals << EOD\n", f);
	for (size_t b = 0; b < h->nbins; b++) {
		char label[32];
		bin_label(label, sizeof(label), h, b, max);
		fprintf(f, "\"%s\" %zu\n", label, h->count[b]);
	}
	size_t top = 0;
	for (size_t b = 0; b < h->nbins; b++)
		top = h->count[b] > top ? h->count[b] : top;
	fprintf(f, "EOD\nset title \"mmaplab: totals of %zu students (out of %d points)\"\n"
		"set xlabel \"total\"\nset ylabel \"students\"\nset key off\nset grid ytics\n"
		"set xrange [-0.6:%zu.4]\nset yrange [0:*]\n%s"
		"set style fill solid 0.7 border -1\nset boxwidth 0.85 relative\n"
		"set xtics rotate by -45\n"
		"set terminal svg size 900,500 font \"sans,12\" background \"white\"\n"
		"set output svg\nplot $totals using 0:2:xtic(1) with boxes lc rgb \"#3b6ea8\"\n"
		"set terminal pngcairo size 900,500 font \"sans,11\"\nset output png\nreplot\n",
		n, max, h->nbins - 1, top <= 10 ? "set ytics 1\n" : "");
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

/* Runs gnuplot on histogram.gp in RESULTS_DIR; its pictures are renamed
 * into place only once both are drawn.  False (said why) if it could not. */
bool draw_histogram(const struct class *c)
{
	static const char *const made[] = { "histogram.svg", "histogram.png" };
	char *const argv[] = { "gnuplot", "-e", "svg='histogram.svg.tmp'; png='histogram.png.tmp'",
			       "histogram.gp", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	pid_t pid;
	int status = 0;

	sigemptyset(&none);
	sigemptyset(&dfl);
	for (const int *sig = (const int[]){ SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, 0 };
	     *sig != 0; sig++)
		sigaddset(&dfl, *sig);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, c->o->out);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, ".gnuplot.log",
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int e = posix_spawnp(&pid, "gnuplot", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (e == 0)
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	char *log = xasprintf("%s/.gnuplot.log", c->o->out);
	bool ok = e == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	for (size_t i = 0; i < 2; i++) {
		char *tmp = xasprintf("%s/%s.tmp", c->o->out, made[i]);
		char *final = xasprintf("%s/%s", c->o->out, made[i]);
		if (ok && rename(tmp, final) == -1)
			die_errno("rename %s", tmp);
		unlink(tmp);
		free(tmp);
		free(final);
	}
	if (e == ENOENT) {
		fprintf(stderr, _("grade: gnuplot is not installed: no histogram.svg or .png "
			"(apt-get install gnuplot-nox); grades.csv and summary.txt are written\n"));
	} else if (!ok) {
		size_t len;
		char *text = read_file(log, 2000, &len);
		fprintf(stderr, _("grade: gnuplot could not draw the histogram%s%s%s\n"),
			e ? ": " : "", e ? strerror(e) : "", text && *text ? ":" : "");
		if (text != NULL)
			fputs(text, stderr);
		free(text);
	}
	unlink(log);
	free(log);
	return ok;
}
