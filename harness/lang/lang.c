/*
 * lang.c: which language the grader speaks (lang.h), where its catalogue
 * is, and how many terminal columns a message takes.
 *
 * glibc's gettext ignores every catalogue while LC_MESSAGES is "C" (and so
 * when setlocale fails for a locale the machine lacks), but honours LANGUAGE
 * under any other locale.  So Chinese asks for the environment's locale, and
 * where that is C falls back to C.UTF-8 (in every glibc since 2.35, and in
 * Debian's libc-bin), with LANGUAGE=zh_CN choosing the catalogue.
 */
#define _GNU_SOURCE
#include "lang/lang.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#define DOMAIN "mmaplab"
#define CATALOGUE "zh_CN/LC_MESSAGES/" DOMAIN ".mo"

static enum lang current = LANG_EN;

/* s is lang, or lang followed by a territory, codeset or modifier. */
static bool is_lang(const char *s, const char *lang)
{
	size_t n = strlen(lang);
	return strncmp(s, lang, n) == 0 && strchr("_.@", s[n]) != NULL;
}

bool lang_parse(const char *choice, enum lang *out)
{
	if (is_lang(choice, "en") || is_lang(choice, "C") || strcmp(choice, "POSIX") == 0) {
		*out = LANG_EN;
		return true;
	}
	/* Simplified Chinese only: zh_TW and zh_HK write the traditional script. */
	if (strcmp(choice, "zh") == 0 || is_lang(choice, "zh_CN") || is_lang(choice, "zh_SG") ||
	    is_lang(choice, "zh_Hans") || strncmp(choice, "zh.", 3) == 0) {
		*out = LANG_ZH_CN;
		return true;
	}
	return false;
}

const char *lang_option(int argc, char *const argv[])
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], "--lang=", 7) == 0)
			return argv[i] + 7;
	}
	return NULL;
}

/* The language the environment asks for, as gettext reads it: LANGUAGE's
 * first entry, else the first of LC_ALL, LC_MESSAGES, LANG that is set. */
static enum lang from_environment(void)
{
	enum lang l = LANG_EN;
	const char *language = getenv("LANGUAGE");

	if (language != NULL && *language != '\0') {
		char first[64];
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(language, ":"), language);
		if (lang_parse(first, &l))
			return l;
	}
	for (const char *const *v = (const char *const[]){ "LC_ALL", "LC_MESSAGES", "LANG", NULL };
	     *v != NULL; v++) {
		const char *value = getenv(*v);
		if (value != NULL && *value != '\0')
			return lang_parse(value, &l) ? l : LANG_EN;
	}
	return LANG_EN;
}

/* Sets category to the first of names that exists; true if one did. */
static bool set_locale(int category, const char *const *names, bool need_utf8)
{
	for (; *names != NULL; names++) {
		const char *got = setlocale(category, *names);
		if (got == NULL || strcmp(got, "C") == 0 || strcmp(got, "POSIX") == 0)
			continue;
		if (!need_utf8 || strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
			return true;
	}
	setlocale(category, "C");
	return false;
}

/* The first folder holding the Chinese catalogue, NULL if none: the build
 * tree beside bin/ (build/locale), the binary's own folder, an installed
 * copy (PREFIX/share/locale): relative to the binary, so that a copied or
 * moved tree finds its own. */
static char *catalogue_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *const relative[] = { "/../build/locale", "/locale", "/../share/locale" };
	char path[PATH_MAX + 64];

	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		for (size_t i = 0; i < sizeof(relative) / sizeof(relative[0]); i++) {
			snprintf(path, sizeof(path), "%s%s/" CATALOGUE, exe, relative[i]);
			if (access(path, R_OK) == 0) {
				path[strlen(path) - strlen("/" CATALOGUE)] = '\0';
				return realpath(path, NULL);
			}
		}
	}
	return NULL;
}

/* Switches the messages to Chinese; false (and why, on stderr) if it cannot. */
static bool speak_chinese(void)
{
	char *dir = catalogue_dir();

	if (dir == NULL) {
		fputs("grade: no Chinese catalogue (" CATALOGUE ") beside the grader: "
		      "messages stay in English (run make to build it)\n", stderr);
		return false;
	}
	setenv("LANGUAGE", "zh_CN", 1);
	if (!set_locale(LC_MESSAGES, (const char *const[]){ "", "C.UTF-8", "C.utf8", NULL },
			false)) {
		fputs("grade: this machine has no locale but C (not even C.UTF-8): "
		      "messages stay in English\n", stderr);
		free(dir);
		return false;
	}
	bindtextdomain(DOMAIN, dir);
	/* glibc's own messages stay English: strerror() in what a check expects
	 * must read as the programs' stderr does (they run under LANG=C). */
	bindtextdomain("libc", "/nonexistent");
	bind_textdomain_codeset(DOMAIN, "UTF-8");	/* reports are UTF-8 whatever the locale */
	textdomain(DOMAIN);
	free(dir);
	/* The catalogue's header is the translation of "": none, nothing loaded. */
	static const char header[] = "";
	if (*gettext(header) == '\0') {
		fputs("grade: the Chinese catalogue could not be loaded: messages stay in English\n",
		      stderr);
		textdomain("messages");
		setlocale(LC_MESSAGES, "C");
		return false;
	}
	return true;
}

bool lang_init(const char *choice)
{
	enum lang want;

	if (choice != NULL) {
		if (!lang_parse(choice, &want))
			return false;
	} else {
		want = from_environment();
	}
	/* Columns of Chinese text need a UTF-8 LC_CTYPE, in either language. */
	set_locale(LC_CTYPE, (const char *const[]){ "", "C.UTF-8", "C.utf8", NULL }, true);
	current = want == LANG_ZH_CN && speak_chinese() ? LANG_ZH_CN : LANG_EN;
	return true;
}

const char *lang_name(void)
{
	return current == LANG_ZH_CN ? "zh_CN" : "en";
}

/* Columns of the character at s (len bytes left) and its length in *n. */
static int char_width(const char *s, size_t len, size_t *n)
{
	mbstate_t st;
	wchar_t wc;

	memset(&st, 0, sizeof(st));
	*n = mbrtowc(&wc, s, len, &st);
	if (*n == (size_t)-1 || *n == (size_t)-2 || *n == 0) {
		*n = 1;
		return 1;
	}
	int w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/* Bytes of s, to its end or a newline, that fit in limit columns; *cols
 * gets the columns they take. */
static size_t measure(const char *s, int limit, int *cols)
{
	size_t len = strcspn(s, "\n"), at = 0, n;

	*cols = 0;
	while (at < len) {
		int w = char_width(s + at, len - at, &n);
		if (*cols > limit - w)
			break;
		*cols += w;
		at += n;
	}
	return at;
}

size_t lang_fit(const char *s, int width)
{
	int cols;
	return measure(s, width, &cols);
}

int lang_width(const char *s)
{
	int cols;
	measure(s, INT_MAX, &cols);
	return cols;
}

void lang_pad(FILE *f, const char *s, int width)
{
	fputs(s, f);
	for (int w = lang_width(s); w < width; w++)
		fputc(' ', f);
}

void lang_pad_left(FILE *f, const char *s, int width)
{
	for (int w = lang_width(s); w < width; w++)
		fputc(' ', f);
	fputs(s, f);
}
