/*
 * memory_view.c: the memory picture's verdict and sentence (memory_view.h).
 */
#include "report/memory_view.h"

#include <stdbool.h>

#include "lang/lang.h"

enum memory_verdict memory_verdict_of(const struct memory_view *child,
				      const struct memory_view *parent)
{
	bool stored = child->shared ? child->private_dirty_kb + child->shared_dirty_kb > 0
				    : child->private_dirty_kb > 0;

	if (!stored)
		return MEMORY_UNCLEAR;
	if (child->has_frame && parent->has_frame && (child->shared || !(child->pagemap & PM_FILE)))
		return child->frame == parent->frame ? MEMORY_SHARED : MEMORY_COPIED;
	return child->shared ? MEMORY_SHARED : MEMORY_COPIED;
}

const char *memory_sentence(enum memory_verdict v)
{
	switch (v) {
	case MEMORY_SHARED:
		return _("one page for both: the child's store is in the parent's page");
	case MEMORY_COPIED:
		return _("the child's store went to a page of its own: copy-on-write; the parent "
			 "still sees 0");
	case MEMORY_UNCLEAR:
		return _("the child stored nothing in the mapping");
	case MEMORY_CORRUPT:
		return _("the audit records of the memory picture do not hold together");
	default:
		return _("no memory picture: the run was not audited, or did not fork and wait");
	}
}
