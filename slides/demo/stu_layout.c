/*
 * stu_layout.c: where the fields of lab 04's struct STU lie, and where the
 * compiler put padding.  mmap_w and mmap_r share the struct byte for byte,
 * so both must be built with the same layout (same header, same ABI).
 *
 * Usage: stu_layout
 */
#include <stddef.h>
#include <stdio.h>
#include "../../solutions/04-writer-reader/stu.h"

#define FIELD(f) printf("%-5s offset %2zu, size %2zu\n", #f, \
			offsetof(struct STU, f), sizeof(((struct STU *)0)->f))

int main(void)
{
	FIELD(id);
	FIELD(name);
	FIELD(sex);
	size_t end = offsetof(struct STU, sex) + sizeof(char);
	printf("pad   offset %2zu, size %2zu  (keeps id %zu-aligned in an array)\n",
	       end, sizeof(struct STU) - end, _Alignof(struct STU));
	printf("sizeof(struct STU) = %zu\n", sizeof(struct STU));
	return 0;
}
