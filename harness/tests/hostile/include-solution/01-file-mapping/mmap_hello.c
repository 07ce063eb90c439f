/*
 * mmap_hello.c, HOSTILE: the reference solution, taken whole at compile time
 * by its absolute path (the grader hides solutions/ from the compiler too).
 * The runner puts the absolute path in place of @SOLUTIONS@.
 */
#include "@SOLUTIONS@/01-file-mapping/mmap_hello.c"
