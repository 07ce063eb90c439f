/*
 * mmap_hello.c, HOSTILE: looks for a network and for the abstract Unix
 * sockets of other processes, which are per network namespace: it lists the
 * network interfaces it has besides loopback, the abstract sockets of
 * /proc/net/unix (names starting with @) that are not its own.  It sends
 * no packet: a test on this shared machine never targets an address outside
 * it, and an interface besides loopback is what a network would need.
 * It prints what it reached, then the default run's xxx.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char own[] = "mmaplab-hostile-abstract";

int main(void)
{
	/* A network interface besides loopback, as /proc/net/dev lists those
	 * of its network namespace. */
	FILE *dev = fopen("/proc/net/dev", "r");
	char line[512], name[64];
	while (dev != NULL && fgets(line, sizeof(line), dev) != NULL)
		if (sscanf(line, " %63[^:]:", name) == 1 && strchr(line, ':') != NULL &&
		    strcmp(name, "lo") != 0)
			printf("network reached: interface %s\n", name);
	if (dev != NULL)
		fclose(dev);

	int u = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	memcpy(un.sun_path + 1, own, sizeof(own) - 1);
	bind(u, (struct sockaddr *)&un, sizeof(un.sun_family) + sizeof(own));
	FILE *f = fopen("/proc/net/unix", "r");
	int others = 0;
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *at = strchr(line, '@');
		others += at != NULL && strncmp(at + 1, own, sizeof(own) - 1) != 0;
	}
	if (others > 0)
		printf("abstract sockets of others reached: %d\n", others);
	printf("xxx\n");
	return 0;
}
