/*
 * mmap_hello.c, HOSTILE: looks for a network and for the abstract Unix
 * sockets of other processes, which are per network namespace: it lists the
 * network interfaces it has besides loopback, the abstract sockets of
 * /proc/net/unix (names starting with @) that are not its own, and tries a
 * TCP connection to 10.0.2.2 and 1.1.1.1 (a default gateway, a DNS server),
 * half a second each.
 * It prints what it reached, then the default run's xxx.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char own[] = "mmaplab-hostile-abstract";

/* Whether a TCP connection to addr:port opens within half a second. */
static int reaches(const char *addr, int port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, addr, &a.sin_addr);
	int rc = connect(s, (struct sockaddr *)&a, sizeof(a));
	for (int i = 0; rc == -1 && (errno == EINPROGRESS || errno == EALREADY) && i < 5; i++) {
		usleep(100000);
		rc = connect(s, (struct sockaddr *)&a, sizeof(a));
	}
	close(s);
	return rc == 0;
}

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
	if (reaches("10.0.2.2", 53) || reaches("1.1.1.1", 53))
		printf("network reached: outside\n");

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
