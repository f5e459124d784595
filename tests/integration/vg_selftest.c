/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * valgrind_run.sh's own check: this program leaks a block and reads
 * uninitialised memory on purpose, so a run under the wrapper must fail
 * (registered with should_fail).  Without valgrind it exits 0.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	volatile char *leak = malloc(100);
	int *u = malloc(sizeof(*u));

	if (!leak || !u)
		return 0;
	leak[0] = 1;
	leak = NULL;
	if (*u == 42)	/* uninitialised: memcheck reports the branch */
		puts("42");
	free(u);
	return 0;
}
