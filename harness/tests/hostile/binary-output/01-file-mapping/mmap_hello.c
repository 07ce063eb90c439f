/*
 * mmap_hello.c, HOSTILE: binary output.  Prints NUL bytes, bytes that are
 * not UTF-8 (0xff, an overlong NUL, a UTF-16 surrogate, a cut sequence, a
 * lone continuation byte), terminal escapes (clear screen, red, a C1 CSI),
 * a carriage return and a backspace, and some valid UTF-8, on stdout and
 * stderr.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	static const char bytes[] = "x\0x \xff\xfe \xc0\x80 \xed\xa0\x80 \xe2\x82 \x80 "
				    "\033[2J\033[31mred \xc2\x9b" "31m \r\b 映射 \"quote\\\n";

	if (write(STDOUT_FILENO, bytes, sizeof(bytes) - 1) == -1 ||
	    write(STDERR_FILENO, bytes, sizeof(bytes) - 1) == -1)
		return 1;
	return 0;
}
