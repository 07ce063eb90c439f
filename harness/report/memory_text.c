/*
 * memory_text.c: the memory picture drawn in text (memory_text.h), from a
 * lab's memory views (two per run: the child after its store, the parent
 * after wait).  A shared run and a private run, a few lines each:
 *
 *   fork_share (default): one page for both: the child's store is in ...
 *     child  0x7f5ade953000 --+
 *                             +--> frame 0x13571c  MAP_SHARED, Shared_Dirty 4 kB
 *     parent 0x7f5ade953000 --+
 */
#define _GNU_SOURCE
#include "report/memory_text.h"

#include <string.h>

#include "report/memory_view.h"
#include "lang/lang.h"

/* The first run whose pair of views says v. */
static const struct memory_view *pair_of(const struct lab_result *lab, enum memory_verdict v)
{
	for (size_t i = 0; i + 1 < lab->nmemory; i += 2)
		if (memory_verdict_of(&lab->memory[i], &lab->memory[i + 1]) == v)
			return &lab->memory[i];
	return NULL;
}

/* What the arrow points at: the frame when known, else what the kernel's
 * figures say the page is. */
static void target(char *buf, size_t size, const struct memory_view *v, bool own)
{
	char frame[40];

	/* The child's copy can lie past the pages read: then its frame is not known. */
	if (v->has_frame && !(own && (v->pagemap & PM_FILE)))
		snprintf(frame, sizeof frame, _("frame %#llx"), v->frame);
	else
		snprintf(frame, sizeof frame, "%s", own ? _("a page of its own") :
			 _("the mapping's page"));
	snprintf(buf, size, _("%s  %s, Private_Dirty %ld kB, Shared_Dirty %ld kB"), frame,
		 v->shared ? "MAP_SHARED" : "MAP_PRIVATE", v->private_dirty_kb,
		 v->shared_dirty_kb);
}

/* A process's name in the drawing's first column, as wide in terminal
 * columns as the wider of the two names (a Chinese character takes two). */
static void who(FILE *f, const char *name)
{
	int width = lang_width(_("child")) > lang_width(_("parent")) ? lang_width(_("child")) :
									    lang_width(_("parent"));

	fputs("      ", f);
	lang_pad(f, name, width > 6 ? width : 6);
	fputc(' ', f);
}

void memory_text_pair(FILE *f, const struct memory_view *child, const char *dim,
		      const char *off)
{
	enum memory_verdict v = memory_verdict_of(child, child + 1);
	const struct memory_view *parent = child + 1;
	char to[160], addr[2][32];
	int w;

	fprintf(f, "    %s: %s\n", child->run, memory_sentence(v));
	if (v != MEMORY_SHARED && v != MEMORY_COPIED)
		return;
	snprintf(addr[0], sizeof addr[0], "%#llx", child->address);
	snprintf(addr[1], sizeof addr[1], "%#llx", parent->address);
	w = (int)(strlen(addr[0]) > strlen(addr[1]) ? strlen(addr[0]) : strlen(addr[1]));
	if (v == MEMORY_SHARED) {
		target(to, sizeof to, child, false);
		who(f, _("child"));
		fprintf(f, "%-*s --+\n", w, addr[0]);
		who(f, "");
		fprintf(f, "%*s   +--> %s%s%s\n", w, "", dim, to, off);
		who(f, _("parent"));
		fprintf(f, "%-*s --+\n", w, addr[1]);
	} else {
		target(to, sizeof to, child, true);
		who(f, _("child"));
		fprintf(f, "%-*s -----> %s%s%s\n", w, addr[0], dim, to, off);
		target(to, sizeof to, parent, false);
		who(f, _("parent"));
		fprintf(f, "%-*s -----> %s%s%s\n", w, addr[1], dim, to, off);
	}
}

void memory_text(FILE *f, const struct lab_result *lab, const char *dim, const char *off)
{
	const struct memory_view *shared = pair_of(lab, MEMORY_SHARED);
	const struct memory_view *copied = pair_of(lab, MEMORY_COPIED);

	if (shared == NULL && copied == NULL)
		return;
	bool frames = (shared != NULL && shared->has_frame) || (copied != NULL && copied->has_frame);
	fprintf(f, "  %s%s%s\n", dim, frames ?
		_("memory, seen inside the program (page frames read as root):") :
		_("memory, seen inside the program (no page frames without root: the kernel's "
		  "figures):"), off);
	if (shared != NULL)
		memory_text_pair(f, shared, dim, off);
	if (copied != NULL)
		memory_text_pair(f, copied, dim, off);
}
