/*
 * mmap_hello.c, HOSTILE: leaves thousands of small files in its working
 * directory, then prints xxx and exits 0.
 */
#include <stdio.h>

int main(void)
{
	for (int i = 0; i < 30000; i++) {
		char name[32];
		snprintf(name, sizeof(name), "litter-%05d", i);
		FILE *f = fopen(name, "w");
		if (f == NULL || fprintf(f, "%d\n", i) < 0 || fclose(f) != 0)
			return 1;
	}
	printf("xxx\n");
	return 0;
}
