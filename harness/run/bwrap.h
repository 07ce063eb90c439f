/*
 * bwrap.h: the bubblewrap layer (the sandbox's own; see sandbox.h).
 */
#ifndef RUN_BWRAP_H
#define RUN_BWRAP_H

#include "run/sandbox.h"

/* bubblewrap, if it is installed and can make namespaces here (as sb's run
 * uid, when it has one); NULL if not. */
const char *find_bwrap(const struct sandbox *sb);

#endif
