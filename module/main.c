// SPDX-License-Identifier: GPL-2.0
/*
 * forkgov: per-cgroup fork-rate governor and fork-without-exec reporter.
 */
#include <linux/module.h>

static int __init forkgov_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit forkgov_exit(void)
{
	pr_info("unloaded\n");
}

module_init(forkgov_init);
module_exit(forkgov_exit);

MODULE_DESCRIPTION("Per-cgroup fork-rate governor and fork-without-exec reporter");
MODULE_AUTHOR("The forkgov developers");
MODULE_LICENSE("GPL");
