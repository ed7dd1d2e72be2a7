// SPDX-License-Identifier: GPL-2.0
/*
 * A real fork bomb for the demonstration: every process forks as fast as it
 * can, forever, and every child does the same.  A failed fork is retried
 * at once, as a careless program would.  Run it only in a cgroup that is
 * killed afterwards (cgroup.kill).
 */
#include <unistd.h>

int main(void)
{
	for (;;)
		fork();
}
