/*
 * mmap_hello.c, HOSTILE: a CPU spin.  A loop that never ends and makes no
 * system call.
 */
int main(void)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
}
