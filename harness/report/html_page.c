/*
 * html_page.c: what every HTML page of the grader shares: escaping any bytes
 * as text, and the page's head (a content policy that lets nothing load, and
 * the style sheet: phone and desktop widths, colours that are never the only
 * sign of a verdict, plain print).
 */
#define _GNU_SOURCE
#include "report/html.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run/sys.h"

/* Bidirectional controls (U+202A..U+202E, U+2066..U+2069) would reorder the
 * text around them: shown as their code instead. */
static int bidi_control(const unsigned char *p)
{
	if (p[0] != 0xe2)
		return 0;
	if (p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
		return 0x202a + (p[2] - 0xaa);
	if (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
		return 0x2066 + (p[2] - 0xa6);
	return 0;
}

void html_text_max(FILE *f, const char *s, size_t max)
{
	size_t len = strlen(s);
	/* show_bytes: control bytes and invalid UTF-8 become \xNN, whatever
	 * the model promised; cut at max, saying how much was cut. */
	char *t = show_bytes(s, len, max), *p = t;

	for (; *p != '\0'; p++) {
		int bidi = bidi_control((const unsigned char *)p);
		if (bidi != 0) {
			fprintf(f, "\\u%04x", bidi);
			p += 2;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*p, f);
		}
	}
	free(t);
}

void html_text(FILE *f, const char *s)
{
	html_text_max(f, s, SIZE_MAX);
}

void html_pre(FILE *f, const char *cls, const char *s, size_t max)
{
	fprintf(f, "<pre class=\"%s\">", cls);
	html_text_max(f, s, max);
	fputs("</pre>\n", f);
}

void html_url_segment(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-')
			fputc(*p, f);
		else
			fprintf(f, "%%%02X", *p);
}

/* Okabe and Ito's palette (blue, vermilion, orange): told apart by readers
 * of every kind of colour blindness, and every verdict also has its word
 * and symbol.  Print: black on white, nothing folded or scrolled away. */
static const char style[] =
	":root{--ok:#0072b2;--bad:#c43c00;--warn:#8a5a00;--fg:#1b1b1b;--dim:#555;--line:#ccc;"
	"--bg:#fff;--box:#f5f5f5;--okbg:#e3f0fa;--badbg:#fbe6dc;--warnbg:#fdf1d6}\n"
	"*{box-sizing:border-box}\n"
	"body{font:16px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg);"
	"background:var(--bg);margin:0 auto;max-width:75rem;padding:.75rem;overflow-wrap:anywhere}\n"
	"h1{font-size:1.35rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.2rem 0 .3rem}"
	"h3{font-size:1rem;margin:.6rem 0 .2rem}\n"
	"pre,code,.mono{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,monospace;font-size:13px}\n"
	"pre{white-space:pre-wrap;overflow-wrap:anywhere;max-height:22rem;overflow:auto;"
	"margin:.25rem 0;padding:.4rem .5rem;background:var(--box);border:1px solid var(--line)}\n"
	".meta{color:var(--dim);font-size:.9rem;margin:.1rem 0}\n"
	".pass{color:var(--ok);font-weight:700}.fail{color:var(--bad);font-weight:700}\n"
	".score{font-weight:700;white-space:nowrap}\n"
	".bar{display:inline-block;width:6rem;height:.6rem;border:1px solid var(--dim);"
	"vertical-align:middle;background:repeating-linear-gradient(45deg,var(--badbg) 0 4px,#fff 4px 8px)}\n"
	".bar>span{display:block;height:100%;background:var(--ok)}\n"
	".fix{border:2px solid var(--bad);background:var(--badbg);padding:.4rem .7rem;margin:.5rem 0}\n"
	".fix ol{margin:.2rem 0;padding-left:1.3rem}\n"
	"article.check{border-left:4px solid var(--bad);padding:.1rem 0 .3rem .6rem;margin:.6rem 0}\n"
	".hint{background:var(--warnbg);border:1px dashed var(--warn);padding:.3rem .5rem;"
	"margin:.3rem 0;white-space:pre-line}\n"
	"table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.15rem .35rem;"
	"vertical-align:top;text-align:left}\n"
	"table.diff{width:100%;table-layout:fixed}table.diff td{white-space:pre-wrap;"
	"overflow-wrap:anywhere;font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px}\n"
	"table.diff col.m{width:6.2rem}table.diff td.m{font-family:inherit;white-space:nowrap}\n"
	"tr.ok td.m{color:var(--ok)}tr.wrong td,tr.missing td,tr.extra td{background:var(--badbg)}\n"
	"tr.wrong td.m,tr.missing td.m,tr.extra td.m{color:var(--bad);font-weight:700}\n"
	"td.none{background:repeating-linear-gradient(45deg,#eee 0 4px,#fff 4px 8px)!important}\n"
	"mark{background:#ffd24d;color:#000;text-decoration:underline 2px;padding:0 1px}\n"
	"ol.trace{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.25rem}\n"
	"ol.trace li{border:1px solid var(--line);background:var(--box);padding:.1rem .35rem;"
	"font-size:.85rem}\n"
	"ol.trace li+li::before{content:'\\2192  ';color:var(--dim)}\n"
	"ol.trace li.failed{border-color:var(--bad);background:var(--badbg)}\n"
	"ol.trace li.marked{border:2px solid var(--bad);font-weight:700}\n"
	"ol.trace li.missing{border:2px dashed var(--bad);background:#fff}\n"
	"ol.trace small{display:block;color:var(--dim);font-weight:400}\n"
	"details{margin:.3rem 0}summary{cursor:pointer}\n"
	"svg{max-width:100%;height:auto}.overview{display:flex;flex-wrap:wrap;gap:0 2rem;"
	"align-items:flex-start}.overview>div{min-width:0;max-width:100%}"
	".histogram svg{width:36rem;max-width:100%;height:auto}\n"
	".wide{overflow-x:auto}\n"
	"td.n,th.n{text-align:right;white-space:nowrap}\n"
	".alt{display:none}.alt:target{display:table}.alt:target~.main{display:none}\n"
	"@media (max-width:40rem){body{padding:.4rem}table.diff col.m{width:4.6rem}"
	"pre{max-height:16rem}.bc{display:none}}\n"
	"@media print{:root{--ok:#000;--bad:#000;--warn:#000;--badbg:#fff;--okbg:#fff;"
	"--warnbg:#fff;--box:#fff}body{max-width:none;font-size:11pt}pre{max-height:none;"
	"overflow:visible}mark{background:none;font-weight:700}a{color:inherit;"
	"text-decoration:none}.bar{display:none}}\n";

void html_head(FILE *f, const char *lang, const char *title, const char *script_nonce)
{
	fprintf(f, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'unsafe-inline'; img-src data:; form-action 'none'", lang);
	if (script_nonce != NULL)
		fprintf(f, "; script-src 'nonce-%s'", script_nonce);
	fputs("\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>", f);
	html_text(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
}
