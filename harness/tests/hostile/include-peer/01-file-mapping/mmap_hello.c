/*
 * mmap_hello.c, HOSTILE: takes a classmate's header at compile time, by its
 * absolute path, and prints the secret in it.  The compiler runs in the
 * sandbox too: the include must fail.  The runner puts the absolute path in
 * place of @PEER@.
 */
#include <stdio.h>

#include "@PEER@/secret.h"

int main(void)
{
	puts(PEER_SECRET);
	return 0;
}
