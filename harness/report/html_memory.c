/*
 * html_memory.c: a lab's memory picture (SPEC §2, lab_result.memory[]) as
 * inline SVG.  For each run, each process's view of the mapping at each
 * moment on the left, the physical page frames on the right, a line from
 * each view to its frame: a MAP_SHARED run draws one frame for both
 * processes, a MAP_PRIVATE one the child's store landing in a page of its
 * own.  Without frames (the grader did not run as root) the views alone,
 * with their dirty kB; a table beneath says the same in words.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "report/html.h"
#include "run/sys.h"

#define ROW 30		/* px per view */
#define LEFT_W 330	/* the views' column */
#define FRAME_X 440	/* the frames' column */
#define WIDTH 640

/* Views of the same run, in their order: [from, to). */
static size_t run_end(const struct lab_result *lab, size_t from)
{
	size_t to = from + 1;

	while (to < lab->nmemory && strcmp(lab->memory[to].run, lab->memory[from].run) == 0)
		to++;
	return to;
}

static void svg_text(FILE *f, int x, int y, const char *cls, const char *s)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"%s\">", x, y, cls);
	html_text_max(f, s, 80);
	fputs("</text>\n", f);
}

/* One run: its views, its frames (each drawn once, beside its first
 * view), and the lines between them.  Returns the height used. */
static int draw_run(FILE *f, const struct lab_result *lab, size_t from, size_t to, int y)
{
	const struct memory_view *m = lab->memory;
	char line[160];

	snprintf(line, sizeof(line), "%s: %s", m[from].run,
		 m[from].shared ? "MAP_SHARED" : "MAP_PRIVATE");
	svg_text(f, 4, y + 14, "h", line);
	y += 22;
	for (size_t i = from; i < to; i++) {
		int ry = y + (int)(i - from) * ROW;
		fprintf(f, "<rect x=\"2\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"%s\"/>\n", ry,
			LEFT_W, ROW - 6, strcmp(m[i].process, "child") == 0 ? "child" : "parent");
		snprintf(line, sizeof(line), "%s, %s", m[i].process, m[i].moment);
		svg_text(f, 8, ry + 11, "t", line);
		snprintf(line, sizeof(line), "0x%llx, %llu B, %s %ld kB, %s %ld kB", m[i].address,
			 m[i].length, _("private dirty"), m[i].private_dirty_kb, _("shared dirty"),
			 m[i].shared_dirty_kb);
		svg_text(f, 8, ry + 21, "s", line);
		if (!m[i].has_frame)
			continue;
		/* the first view with this frame draws it */
		size_t first = from;
		while (!(m[first].has_frame && m[first].frame == m[i].frame))
			first++;
		int fy = y + (int)(first - from) * ROW;
		if (first == i) {
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"frame\"/>\n",
				FRAME_X, fy, WIDTH - FRAME_X - 4, ROW - 6);
			snprintf(line, sizeof(line), "%s 0x%llx", _("frame"), m[i].frame);
			svg_text(f, FRAME_X + 6, fy + 16, "t", line);
		}
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"%s\"/>\n", LEFT_W + 2,
			ry + (ROW - 6) / 2, FRAME_X, fy + (ROW - 6) / 2,
			strcmp(m[i].process, "child") == 0 ? "lc" : "lp");
	}
	return 22 + (int)(to - from) * ROW + 8;
}

static void words(FILE *f, const struct lab_result *lab)
{
	fprintf(f, "<details><summary>%s</summary>\n<div class=\"wide\"><table>\n"
		"<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
		_("The same in a table"), _("run"), _("process"), _("moment"), _("address"),
		_("frame"), _("dirty kB (private, shared)"));
	for (size_t i = 0; i < lab->nmemory; i++) {
		const struct memory_view *m = &lab->memory[i];
		const char *cells[] = { m->run, m->process, m->moment };
		fputs("<tr>", f);
		for (size_t k = 0; k < 3; k++) {
			fputs("<td>", f);
			html_text_max(f, cells[k], 80);
			fputs("</td>", f);
		}
		fprintf(f, "<td class=\"mono\">0x%llx</td>", m->address);
		if (m->has_frame)
			fprintf(f, "<td class=\"mono\">0x%llx</td>", m->frame);
		else
			fprintf(f, "<td>%s</td>", _("unknown (not run as root)"));
		fprintf(f, "<td>%ld, %ld</td></tr>\n", m->private_dirty_kb, m->shared_dirty_kb);
	}
	fputs("</table></div></details>\n", f);
}

void html_memory_svg(FILE *f, const struct lab_result *lab)
{
	if (lab->nmemory == 0)
		return;
	int height = 0;
	for (size_t i = 0; i < lab->nmemory; i = run_end(lab, i))
		height += 22 + (int)(run_end(lab, i) - i) * ROW + 8;
	fprintf(f, "<h3>%s</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		"width=\"%d\" role=\"img\" aria-labelledby=\"mem-%s\">\n<title id=\"mem-%s\">",
		_("Memory picture"), WIDTH, height, WIDTH, lab->id, lab->id);
	html_text(f, _("Each process's view of the shared mapping, and the page frame it used"));
	/* parent solid, child dashed: told apart without colour */
	fputs("</title>\n<style>text{font:11px sans-serif;fill:#1b1b1b}.h{font-weight:700;font-size:12px}"
	      ".s{font-size:9.5px;fill:#555}rect{stroke-width:1.5}.parent{fill:#e3f0fa;stroke:#0072b2}"
	      ".child{fill:#fdf1d6;stroke:#8a5a00;stroke-dasharray:4 2}.frame{fill:#fff;stroke:#1b1b1b}"
	      "line{stroke-width:1.5}.lp{stroke:#0072b2}.lc{stroke:#8a5a00;stroke-dasharray:4 2}"
	      "</style>\n", f);
	int y = 0;
	for (size_t i = 0; i < lab->nmemory; i = run_end(lab, i))
		y += draw_run(f, lab, i, run_end(lab, i), y);
	fputs("</svg>\n", f);
	words(f, lab);
}
