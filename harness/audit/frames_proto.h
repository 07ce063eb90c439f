/*
 * frames_proto.h: the one message between the audit library (lib/memory.c,
 * in the student's program) and the grader's frame reader (frames.c, run as
 * root): "read my pagemap now, at this moment, from addr".  Who "my" is comes
 * from the kernel (SO_PEERCRED), never from the message.
 */
#ifndef FRAMES_PROTO_H
#define FRAMES_PROTO_H

#include <stdint.h>

#define MEMORY_PAGES 8		/* pages of a mapping read at one moment */

struct memory_ask {
	uint64_t addr;		/* the mapping's start */
	int32_t npages;		/* 1..MEMORY_PAGES */
	char moment[20];	/* "child-exit", "parent-wait" */
};

#endif
