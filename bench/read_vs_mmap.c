/*
 * read_vs_mmap.c: how fast can a program get at a file that is already in
 * the page cache, with read() or with mmap(), as the buffer size changes?
 *
 * Usage: read_vs_mmap [-d DIR] [-m MIB] [-r REPS]
 *        (defaults: DIR ".", a 64 MiB file, best of 5 runs)
 *
 * Writes a scratch file of MIB MiB in DIR (unlinked at once, so nothing is
 * left behind), reads it once so that it is cached, then for each buffer
 * size B from 512 bytes to 4 MiB times three ways of summing every 64-bit
 * word of it:
 *   read         read() B bytes at a time into one buffer, sum the buffer;
 *   mmap_window  mmap B bytes at a time (B a multiple of the page size),
 *                sum them, munmap: what "mmap with a buffer" costs;
 *   mmap_whole   mmap the whole file once and sum it (does not depend on B).
 * Each figure is the best of REPS runs, in MB/s (10^6 bytes per second).
 * The CSV goes to stdout, after comment lines that say what machine ran it.
 */
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

enum { MIN_BUF = 512, MAX_BUF = 4 << 20 };

static size_t file_size;
static volatile uint64_t sink;	/* keeps the sums from being optimised away */

static uint64_t sum(const void *p, size_t len)
{
	const uint64_t *w = p;
	uint64_t s = 0;

	for (size_t i = 0; i < len / sizeof(*w); i++)
		s += w[i];
	return s;
}

static double now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void by_read(int fd, size_t buf_size)
{
	static char buf[MAX_BUF] __attribute__((aligned(64)));
	uint64_t s = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) == -1)
		err(1, "lseek");
	while ((n = read(fd, buf, buf_size)) > 0)
		s += sum(buf, (size_t)n);
	if (n == -1)
		err(1, "read");
	sink = s;
}

static void by_mmap_window(int fd, size_t buf_size)
{
	uint64_t s = 0;

	for (size_t off = 0; off < file_size; off += buf_size) {
		size_t len = file_size - off < buf_size ? file_size - off : buf_size;
		void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);
		if (p == MAP_FAILED)
			err(1, "mmap");
		s += sum(p, len);
		if (munmap(p, len) == -1)
			err(1, "munmap");
	}
	sink = s;
}

static void by_mmap_whole(int fd, size_t buf_size)
{
	(void)buf_size;
	void *p = mmap(NULL, file_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		err(1, "mmap");
	sink = sum(p, file_size);
	if (munmap(p, file_size) == -1)
		err(1, "munmap");
}

/* Best of REPS runs of FN, in MB/s. */
static double mbps(void (*fn)(int, size_t), int fd, size_t buf_size, int reps)
{
	double best = 0;

	for (int i = 0; i < reps; i++) {
		double t0 = now();
		fn(fd, buf_size);
		double t = now() - t0;
		if (best == 0 || t < best)
			best = t;
	}
	return file_size / best / 1e6;
}

/* The scratch file: FILE_SIZE bytes of varied data, unlinked, cached. */
static int make_file(const char *dir)
{
	char path[4096];

	if (snprintf(path, sizeof(path), "%s/read_vs_mmap.XXXXXX", dir) >= (int)sizeof(path))
		errx(1, "directory name too long");
	int fd = mkstemp(path);
	if (fd == -1)
		err(1, "mkstemp %s", path);
	if (unlink(path) == -1)
		err(1, "unlink");
	static uint64_t block[(1 << 20) / sizeof(uint64_t)];
	for (size_t done = 0; done < file_size; done += sizeof(block)) {
		for (size_t i = 0; i < sizeof(block) / sizeof(*block); i++)
			block[i] = done + i * 0x9e3779b97f4a7c15u;
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			err(1, "write");
	}
	by_read(fd, MAX_BUF);	/* the file is cached from here on */
	return fd;
}

static const char *fs_name(const char *dir)
{
	struct statfs sf;

	if (statfs(dir, &sf) == -1)
		err(1, "statfs");
	switch (sf.f_type) {
	case 0xEF53: return "ext4";
	case 0x58465342: return "xfs";
	case 0x9123683E: return "btrfs";
	case 0x01021994: return "tmpfs";
	case 0x794C7630: return "overlayfs";
	default: return "other";
	}
}

/* "AMD EPYC, 2 CPUs, Linux 6.1.0 x86_64, 4096-byte pages, ext4". */
static void print_machine(const char *dir)
{
	char line[256], model[128] = "unknown CPU";
	struct utsname u;

	FILE *f = fopen("/proc/cpuinfo", "r");
	if (f != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, "model name : %127[^\n]", model) == 1)
				break;
		if (fclose(f) == EOF)
			err(1, "fclose");
	}
	if (uname(&u) == -1)
		err(1, "uname");
	printf("# machine: %s, %ld CPUs, Linux %s %s, %ld-byte pages, file on %s\n",
	       model, sysconf(_SC_NPROCESSORS_ONLN), u.release, u.machine,
	       sysconf(_SC_PAGESIZE), fs_name(dir));
}

static int positive(const char *s)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < 1 || v > 4096) {
		fprintf(stderr, "usage: read_vs_mmap [-d DIR] [-m MIB] [-r REPS]\n");
		exit(2);
	}
	return (int)v;
}

int main(int argc, char *argv[])
{
	const char *dir = ".";
	int mib = 64, reps = 5, opt;

	while ((opt = getopt(argc, argv, "d:m:r:")) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'm': mib = positive(optarg); break;
		case 'r': reps = positive(optarg); break;
		default: positive("");	/* usage, exit 2 */
		}
	}
	if (optind != argc)
		positive("");
	file_size = (size_t)mib << 20;
	long page = sysconf(_SC_PAGESIZE);
	if (page == -1)
		err(1, "sysconf");

	int fd = make_file(dir);
	printf("# read_vs_mmap: MB/s, reading and summing a cached %d MiB file, best of %d runs\n",
	       mib, reps);
	print_machine(dir);
	printf("buffer_bytes,read,mmap_window,mmap_whole\n");
	double whole = mbps(by_mmap_whole, fd, 0, reps);
	for (size_t b = MIN_BUF; b <= MAX_BUF; b *= 2) {
		printf("%zu,%.0f,", b, mbps(by_read, fd, b, reps));
		/* mmap offsets are whole pages: no window smaller than a page. */
		if (b % (size_t)page == 0)
			printf("%.0f", mbps(by_mmap_window, fd, b, reps));
		printf(",%.0f\n", whole);
	}
	if (close(fd) == -1)
		err(1, "close");
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	return 0;
}
