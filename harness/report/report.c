/*
 * report.c: the table of report formats.
 */
#include "report/report.h"

#include <string.h>

static const struct reporter reporters[] = {
	{ "text", report_text },
	{ "json", report_json },
	{ "html", report_html },
	{ "gradescope", report_gradescope },
	{ "junit", report_junit },
	{ "tap", report_tap },
};

#define NREPORTERS (sizeof(reporters) / sizeof(reporters[0]))

const struct reporter *reporter_find(const char *name)
{
	for (size_t i = 0; i < NREPORTERS; i++)
		if (strcmp(reporters[i].name, name) == 0)
			return &reporters[i];
	return NULL;
}

const char *reporter_names(void)
{
	static char names[128];

	if (names[0] == '\0')
		for (size_t i = 0; i < NREPORTERS; i++) {
			if (i > 0)
				strcat(names, "|");
			strcat(names, reporters[i].name);
		}
	return names;
}
