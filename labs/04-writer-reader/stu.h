/*
 * stu.h: the record that mmap_w writes and mmap_r reads.  Both programs must
 * agree on this layout byte for byte, so it lives in one header.
 *
 * On x86-64: id at offset 0 (4 bytes), name at 4 (20 bytes), sex at 24, then
 * 3 bytes of padding so that an array of them keeps id aligned: 28 bytes.
 */
#ifndef STU_H
#define STU_H

struct STU {
	int id;
	char name[20];	/* NUL-terminated: at most 19 bytes of name */
	char sex;
};

#endif
