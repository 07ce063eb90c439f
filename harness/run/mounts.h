/*
 * mounts.h: mount namespaces and hidden folders (the sandbox's own; see
 * sandbox.h).
 */
#ifndef RUN_MOUNTS_H
#define RUN_MOUNTS_H

#include <stdbool.h>

/* Whether this process may make a mount namespace (root, not in a locked
 * container): tried in a child, so nothing here changes. */
bool can_unshare_mounts(void);

/* In the child, in its own mount namespace: covers path with an empty
 * read-only tmpfs, keep (the work folder) bound back if it lies below.
 * Returns the step that failed (errno set), or NULL. */
const char *hide_folder(const char *path, const char *keep);

#endif
