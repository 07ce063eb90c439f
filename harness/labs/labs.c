/*
 * labs.c: the table of labs, in the order they are taught.
 */
#include "labs/labs.h"

#include <stdlib.h>
#include <string.h>

extern const struct lab lab_file_mapping, lab_fork_sharing, lab_anonymous_mapping,
	lab_writer_reader, lab_pitfalls, lab_read_vs_mmap;

const struct lab *const lab_table[] = {
	&lab_file_mapping,
	&lab_fork_sharing,
	&lab_anonymous_mapping,
	&lab_writer_reader,
	&lab_pitfalls,
	&lab_read_vs_mmap,
	NULL,
};

const struct lab *lab_find(const char *name)
{
	for (const struct lab *const *l = lab_table; *l != NULL; l++) {
		const char *id = (*l)->id;
		/* ids are "NN-name": match the whole id, "NN" or "name" */
		if (strcmp(name, id) == 0 || strcmp(name, id + 3) == 0)
			return *l;
		/* "02" or "2": the number alone */
		if (*name >= '0' && *name <= '9' && strspn(name, "0123456789") == strlen(name) &&
		    strlen(name) <= 3 && atoi(name) == atoi(id))
			return *l;
	}
	return NULL;
}
