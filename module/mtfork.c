// SPDX-License-Identifier: GPL-2.0
/*
 * Placeholder for the fork-without-exec reporter, which is being written
 * (issue 4).  It keeps the module linking until then.
 */
#include <linux/seq_file.h>

#include "forkgov.h"

int fg_mt_init(void)
{
	return 0;
}

void fg_mt_exit(void)
{
}

void fg_mt_stats_show(struct seq_file *m)
{
}
