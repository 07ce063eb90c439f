/*
 * progress.c: what a class run tells the instructor while it runs: the
 * progress bar on a terminal, and lines above it.
 */
#define _GNU_SOURCE
#include "class/progress.h"

#include "lang/lang.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void duration(char *buf, size_t size, double sec)
{
	if (sec < 60)
		snprintf(buf, size, "%.0fs", sec);
	else
		snprintf(buf, size, "%dm%02ds", (int)(sec / 60), (int)sec % 60);
}

void draw_bar(struct class *c, bool force)
{
	if (!c->tty || (!force && now() - c->last_draw < 0.2))
		return;
	c->last_draw = now();
	size_t done = c->graded + c->kept + c->failed, worked = c->graded + c->failed;
	size_t left = c->n - done;
	struct winsize ws;
	int width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
	char eta[32] = "?", status[512];
	int at;

	/* Time left from this run's pace, parallelism included. */
	if (worked > 0)
		duration(eta, sizeof(eta), (now() - c->t0) / (double)worked * (double)left);
	at = snprintf(status, sizeof(status), _("%zu/%zu done, %zu running, %zu failed to build"),
		      done, c->n, c->running, c->build_failed);
	if (c->failed > 0 && at >= 0 && (size_t)at < sizeof(status))
		at += snprintf(status + at, sizeof(status) - (size_t)at, _(", %zu not graded"),
			       c->failed);
	if (at >= 0 && (size_t)at < sizeof(status))
		snprintf(status + at, sizeof(status) - (size_t)at, _(", %s left"), eta);
	/* In terminal columns (Chinese takes two each), and short of the last
	 * one: a line that wraps is not redrawn in place by \r. */
	int room = width - 1 - 3, text = lang_width(status);
	int bar = room - text < 10 ? 10 : room - text > 40 ? 40 : room - text;
	int full = c->n > 0 ? (int)((double)bar * (double)done / (double)c->n) : bar;
	int shown = (int)lang_fit(status, room - bar > 0 ? room - bar : 0);
	fprintf(stderr, "\r\033[K[%.*s%*s] %.*s", full, "########################################",
		bar - full, "", shown, status);
	fflush(stderr);
}

/* A line of its own, above the bar on a terminal. */
__attribute__((format(printf, 2, 3))) void say(struct class *c, const char *fmt, ...)
{
	va_list ap;

	if (c->tty)
		fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	draw_bar(c, true);
}
