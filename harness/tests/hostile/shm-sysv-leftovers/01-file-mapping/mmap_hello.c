/*
 * mmap_hello.c, HOSTILE: leaves things outside its folder on purpose: a
 * POSIX shared-memory object in /dev/shm, a SysV shared-memory segment, a
 * semaphore set and a message queue, and a file in /tmp.  Then it prints
 * xxx and exits 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

int main(void)
{
	char name[64], tmp[] = "/tmp/mmaplab-hostile-XXXXXX";

	snprintf(name, sizeof(name), "/mmaplab-hostile-%d", (int)getpid());
	int fd = shm_open(name, O_CREAT | O_RDWR, 0600);
	if (fd == -1 || ftruncate(fd, 4096) == -1)
		return 1;
	if (shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600) == -1 ||
	    semget(IPC_PRIVATE, 1, IPC_CREAT | 0600) == -1 ||
	    msgget(IPC_PRIVATE, IPC_CREAT | 0600) == -1 || mkstemp(tmp) == -1)
		return 1;
	printf("xxx\n");
	return 0;
}
