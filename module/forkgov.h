/* SPDX-License-Identifier: GPL-2.0 */
/*
 * forkgov internal interfaces shared between the module's files.
 */
#ifndef _FORKGOV_H
#define _FORKGOV_H

#include <linux/types.h>

struct cgroup;
struct seq_file;

#define FORKGOV_VERSION		"0.1.0"

/* Sysctl directory shared by every part of forkgov. */
#define FG_SYSCTL_DIR		"kernel/forkgov"

/* Per-policy override of fork-without-exec reporting (policy key mt_warn). */
enum fg_mt_warn {
	FG_MT_INHERIT,
	FG_MT_ON,
	FG_MT_OFF,
};

/* main.c: the forkgov proc directory (/proc/forkgov). */
extern struct proc_dir_entry *fg_proc_dir;

/* policy.c */
enum fg_mt_warn fg_policy_mt_warn(struct cgroup *cgrp);

/* mtfork.c: the fork-without-exec reporter. */
int fg_mt_init(void);
void fg_mt_exit(void);
void fg_mt_stats_show(struct seq_file *m);

#endif /* _FORKGOV_H */
