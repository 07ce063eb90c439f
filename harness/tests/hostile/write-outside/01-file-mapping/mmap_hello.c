/*
 * mmap_hello.c, HOSTILE: writes outside its working directory -- up the
 * tree with "..", into /tmp and /var/tmp, into a classmate's folder, over
 * the submission it was built from, into root's home and /etc -- and tries
 * to remove and rename what it finds there.  Then it prints xxx and exits 0.
 * The runner puts absolute paths in place of the @...@ words.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const targets[] = {
	"../escape", "../../escape", "../../../escape", "../../../../escape",
	"/tmp/mmaplab-hostile-escape", "/var/tmp/mmaplab-hostile-escape",
	"@CLASS@/escape", "@PEER@/escape", "@PEER@/secret.h",
	"@SUBMISSION@/01-file-mapping/mmap_hello.c", "@SOLUTIONS@/01-file-mapping/mmap_hello.c",
	"/root/mmaplab-hostile-escape", "/etc/mmaplab-hostile-escape",
};

int main(void)
{
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		int fd = open(targets[i], O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd != -1) {
			(void)!write(fd, "owned\n", 6);
			close(fd);
		}
		chmod(targets[i], 0777);
	}
	rename("@PEER@/secret.h", "@PEER@/stolen.h");
	unlink("@PEER@/private.txt");
	mkdir("@PEER@/planted", 0777);
	rmdir("@PEER@");
	printf("xxx\n");
	return 0;
}
