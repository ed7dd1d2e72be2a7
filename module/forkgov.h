/* SPDX-License-Identifier: GPL-2.0 */
/*
 * forkgov internal interfaces shared between the module's files.
 */
#ifndef _FORKGOV_H
#define _FORKGOV_H

#include <linux/types.h>
#include <linux/percpu.h>
#include <linux/sched.h>

#include "bucket.h"

struct cgroup;
struct file;
struct inode;
struct seq_file;
struct fg_op;

#define FORKGOV_VERSION		"0.1.0"

/* Sysctl directory shared by every part of forkgov. */
#define FG_SYSCTL_DIR		"kernel/forkgov"

/* What the fork hook decided for one fork. */
enum fg_decision {
	FG_DO_ALLOW,
	FG_DO_DENY,
	FG_DO_THROTTLE,
	FG_DO_POPULATE,		/* a per-child bucket must be created first */
};

/**
 * struct fg_wait - what a fork must wait for, from fg_policy_charge()
 * @delay_ns: FG_DO_THROTTLE: the wait for the token promised to the fork;
 *            FG_DO_DENY: the least the fork sleeps before it fails
 * @base_ns:  FG_DO_DENY: first step of the back-off (a token interval)
 * @cap_ns:   FG_DO_DENY: ceiling of the back-off (deny_delay); 0: none
 */
struct fg_wait {
	u64 delay_ns;
	u64 base_ns;
	u64 cap_ns;
};

/**
 * struct fg_call - the scratch of one fork's decision
 * @now:  CLOCK_MONOTONIC in ns, read once for the decision; 0 until read
 * @w:    the waits of a throttle or a denial
 * @into: the id of the cgroup a CLONE_INTO_CGROUP fork names, for the pass
 *        of its throttle; 0 outside the slow path that decides such forks
 */
struct fg_call {
	u64 now;
	struct fg_wait w;
	u64 into;
};

/* Global counters, per CPU, summed when read. */
struct fg_stats {
	u64 hook_hits;
	u64 governed;
	u64 allowed;
	u64 denied;
	u64 throttled;
	u64 throttle_ns;
	u64 logged;
	u64 restarts;
	u64 deny_sleeps;
	u64 deny_sleep_ns;
};

DECLARE_PER_CPU(struct fg_stats, fg_stats);

/* main.c: global knobs (sysctl and module parameters). */
extern int fg_enabled;
extern int fg_log_ratelimit;
extern int fg_max_policies;
extern int fg_max_buckets;
extern int fg_audit;
extern struct proc_dir_entry *fg_proc_dir;
void fg_stats_sum(struct fg_stats *sum);

/* policy.c: the policy table (the hook's side of it: policy.h). */
struct fg_txn;
int fg_policy_init(void);
void fg_policy_exit(void);
int fg_policy_sync_hook(void);
struct fg_txn *fg_txn_alloc(unsigned int nops);
void fg_txn_free(struct fg_txn *txn);
int fg_txn_add(struct fg_txn *txn, const struct fg_op *op, int line);
int fg_txn_commit(struct fg_txn *txn, int *bad_line, const char **why);
int fg_policy_show_open(struct file *file, bool full);
int fg_policy_show_release(struct inode *inode, struct file *file);
unsigned int fg_policy_count(void);
unsigned int fg_child_count(void);
enum fg_mt_warn fg_policy_mt_warn(struct cgroup *cgrp);

/* report.c: trace events, log lines and audit records. */
struct audit_buffer;
struct ratelimit_state;

enum fg_event_kind {
	FG_EV_DENY,
	FG_EV_THROTTLE,
	FG_EV_LOG,
};

void fg_report_event(enum fg_event_kind kind, u64 cgid, u64 policy_cgid,
		     u64 delay_ns, struct ratelimit_state *rs);
void fg_report_ratelimit_init(struct ratelimit_state *rs);
void fg_report_exit(void);
const char *fg_cgroup_path_of(u64 cgid, char *buf);
/* Room for an escaped task name, and for the start of an escaped path. */
#define FG_LOG_COMM_MAX		(4 * TASK_COMM_LEN)
#define FG_LOG_PATH_MAX		512
/* "; pod UID container ID": both at most 64 bytes. */
#define FG_LOG_K8S_MAX		160
const char *fg_log_escape(char *dst, size_t size, const char *src);
void fg_audit_str(struct audit_buffer *ab, const char *key, const char *s);
const char *fg_k8s_log(char *dst, size_t size, const char *cgroup);
void fg_audit_k8s(struct audit_buffer *ab, const char *cgroup);
void fg_audit_change(const char *op, const char *obj, const char *old,
		     const char *new);
void __fg_audit_change(const char *op, const char *obj, const char *old,
		       const char *new, bool always);
void fg_trace_mt_fork(pid_t ppid, const char *pcomm, int threads, pid_t pid,
		      u64 cgid, const char *outcome, int status, u64 elapsed_ms);

/* hook.c: the kernel_clone() hook. */
int fg_hook_init(void);
void fg_hook_exit(void);
bool fg_hook_installed(void);
void fg_hook_slow_begin(void);
void fg_hook_slow_end(void);

/* backoff.c: how long a denied fork sleeps. */
u64 fg_backoff_next(u64 base_ns, u64 cap_ns);
void fg_backoff_exit(void);

/* lineage.c: the lineage defence against non-exec fork chains. */
int fg_lineage_init(void);
void fg_lineage_exit(void);
bool fg_lineage_on(void);
enum fg_decision __fg_lineage_charge(struct cgroup *cgrp, bool thread,
				     enum fg_decision d, u64 *now,
				     struct fg_wait *w);
void fg_lineage_stats_show(struct seq_file *m);

/* policy.c: pending policies (pending.c hands it new cgroups). */
extern unsigned int fg_npending;
void fg_policy_activate(struct cgroup *const *new, unsigned int n,
			bool rescan);

/* pending.c: the cgroup_mkdir notification. */
int fg_pending_init(void);
void fg_pending_exit(void);
void fg_pending_rescan(void);
unsigned long fg_pending_overflows(void);
unsigned long fg_pending_waits(void);
void fg_pending_wait(void);
extern u64 fg_pending_fence;

/* policy.c: policies with a rate; read locklessly by the hook. */
extern unsigned int fg_ngoverning;
extern unsigned int fg_lineage_nsieged;

/* iface.c: /proc/forkgov. */
int fg_iface_init(void);
void fg_iface_exit(void);

/* mtfork.c: the fork-without-exec reporter. */
int fg_mt_init(void);
void fg_mt_exit(void);
void fg_mt_stats_show(struct seq_file *m);
extern const struct proc_ops fg_mt_offenders_ops;

#endif /* _FORKGOV_H */
