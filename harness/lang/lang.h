/*
 * lang.h: the grader's messages go through GNU gettext (po/, the catalogue
 * of the "mmaplab" domain).  _() marks a message translated where it is used;
 * N_() marks one kept in a static table and translated where it is shown.
 */
#ifndef LANG_H
#define LANG_H

#include <libintl.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

#endif
