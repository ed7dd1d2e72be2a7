// SPDX-License-Identifier: GPL-2.0
/*
 * forkgov: per-cgroup fork-rate governor and fork-without-exec reporter.
 *
 * What a user sees: a policy on a cgroup v2 directory limits how fast the
 * tasks of that subtree may create processes (fork, vfork, clone, clone3
 * without CLONE_THREAD) with a token bucket of a rate and a burst.  A fork
 * that finds the bucket empty fails with EAGAIN (action deny), waits for a
 * token up to a bound (throttle), or is only counted and reported (log).
 * Threads are charged only by policies with count=tasks; kernel threads
 * never.  Knobs live under /proc/sys/kernel/forkgov, the table under
 * /proc/forkgov.
 *
 * This file holds the global knobs, their module parameters, the global
 * counters and the module's init and exit.
 */
#include <linux/capability.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/sysctl.h>

#include "forkgov.h"

int fg_enabled = 1;
int fg_log_ratelimit = 10;
int fg_max_policies = 16384;
int fg_max_buckets = 65536;
int fg_audit;

module_param_named(enabled, fg_enabled, int, 0444);
MODULE_PARM_DESC(enabled, "Enforce policies (0: load with enforcement off, for recovery)");
module_param_named(log_ratelimit, fg_log_ratelimit, int, 0444);
MODULE_PARM_DESC(log_ratelimit, "Deny/throttle/log reports per policy per 5 s (0: none)");
module_param_named(max_policies, fg_max_policies, int, 0444);
MODULE_PARM_DESC(max_policies, "Largest number of policies");
module_param_named(max_buckets, fg_max_buckets, int, 0444);
MODULE_PARM_DESC(max_buckets, "Largest number of per-child buckets");
module_param_named(audit, fg_audit, int, 0444);
MODULE_PARM_DESC(audit, "Emit kernel audit records");

DEFINE_PER_CPU(struct fg_stats, fg_stats);

void fg_stats_sum(struct fg_stats *sum)
{
	const struct fg_stats *st;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		st = per_cpu_ptr(&fg_stats, cpu);
		sum->hook_hits += READ_ONCE(st->hook_hits);
		sum->governed += READ_ONCE(st->governed);
		sum->allowed += READ_ONCE(st->allowed);
		sum->denied += READ_ONCE(st->denied);
		sum->throttled += READ_ONCE(st->throttled);
		sum->throttle_ns += READ_ONCE(st->throttle_ns);
		sum->logged += READ_ONCE(st->logged);
		sum->restarts += READ_ONCE(st->restarts);
		sum->deny_sleeps += READ_ONCE(st->deny_sleeps);
		sum->deny_sleep_ns += READ_ONCE(st->deny_sleep_ns);
	}
}

static int fg_int_max = 1000000;
static int fg_rl_max = 1000;

/*
 * Every knob: the capability check, the bounds, then @apply for knobs that
 * act at once (a value that cannot take effect is put back), then the audit.
 */
static int fg_knob_write(fg_ctl_table *table, int write, void *buffer,
			 size_t *lenp, loff_t *ppos, int (*apply)(void))
{
	int *val = table->data, old = READ_ONCE(*val), err;
	char o[16], n[16];

	if (write && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = proc_dointvec_minmax(table, write, buffer, lenp, ppos);
	if (err || !write)
		return err;
	if (apply) {
		err = apply();
		if (err) {
			WRITE_ONCE(*val, old);
			return err;
		}
	}
	snprintf(o, sizeof(o), "%d", old);
	snprintf(n, sizeof(n), "%d", READ_ONCE(*val));
	/* Switching audit off is itself worth a record. */
	__fg_audit_change("sysctl", table->procname, o, n,
			  val == &fg_audit && old);
	return 0;
}

static int fg_sysctl_handler(fg_ctl_table *table, int write, void *buffer,
			     size_t *lenp, loff_t *ppos)
{
	return fg_knob_write(table, write, buffer, lenp, ppos, NULL);
}

static int fg_enabled_handler(fg_ctl_table *table, int write, void *buffer,
			      size_t *lenp, loff_t *ppos)
{
	return fg_knob_write(table, write, buffer, lenp, ppos,
			     fg_policy_sync_hook);
}

#define FG_KNOB(_name, _var, _handler, _min, _max)	\
	{						\
		.procname	= _name,		\
		.data		= &(_var),		\
		.maxlen		= sizeof(int),		\
		.mode		= 0644,			\
		.proc_handler	= _handler,		\
		.extra1		= _min,			\
		.extra2		= _max,			\
	}

static struct ctl_table fg_sysctls[] = {
	FG_KNOB("enabled", fg_enabled, fg_enabled_handler,
		SYSCTL_ZERO, SYSCTL_ONE),
	FG_KNOB("log_ratelimit", fg_log_ratelimit, fg_sysctl_handler,
		SYSCTL_ZERO, &fg_rl_max),
	FG_KNOB("max_policies", fg_max_policies, fg_sysctl_handler,
		SYSCTL_ONE, &fg_int_max),
	FG_KNOB("max_buckets", fg_max_buckets, fg_sysctl_handler,
		SYSCTL_ZERO, &fg_int_max),
	FG_KNOB("audit", fg_audit, fg_sysctl_handler,
		SYSCTL_ZERO, SYSCTL_ONE),
	FG_CTL_TABLE_END
};

static struct ctl_table_header *fg_sysctl_header;

static void fg_clamp_params(void)
{
	fg_enabled = clamp(fg_enabled, 0, 1);
	fg_log_ratelimit = clamp(fg_log_ratelimit, 0, fg_rl_max);
	fg_max_policies = clamp(fg_max_policies, 1, fg_int_max);
	fg_max_buckets = clamp(fg_max_buckets, 0, fg_int_max);
	fg_audit = clamp(fg_audit, 0, 1);
}

static int __init forkgov_init(void)
{
	int err;

	fg_clamp_params();
	err = fg_hook_init();
	if (err)
		return err;
	err = fg_policy_init();
	if (err)
		goto err_hook;
	err = fg_mt_init();
	if (err)
		goto err_policy;
	err = fg_lineage_init();
	if (err)
		goto err_mt;
	err = -ENOMEM;
	fg_sysctl_header = register_sysctl(FG_SYSCTL_DIR, fg_sysctls);
	if (!fg_sysctl_header)
		goto err_lineage;
	err = fg_iface_init();
	if (err)
		goto err_sysctl;
	pr_info("version %s loaded%s\n", FORKGOV_VERSION,
		fg_enabled ? "" : ", enforcement disabled");
	return 0;

err_sysctl:
	unregister_sysctl_table(fg_sysctl_header);
err_lineage:
	WRITE_ONCE(fg_enabled, 0);
	fg_policy_sync_hook();
	fg_hook_exit();
	fg_lineage_exit();
	fg_mt_exit();
	fg_policy_exit();
	fg_report_exit();
	return err;
err_mt:
	fg_mt_exit();
err_policy:
	fg_policy_exit();
err_hook:
	fg_hook_exit();
	fg_report_exit();
	return err;
}

/*
 * Unloading is safe at any moment: first nothing new can reach us (files,
 * knobs), then the hook goes, then sleeping throttled forks are woken and
 * waited for, and only then is the table freed.
 */
static void __exit forkgov_exit(void)
{
	fg_iface_exit();
	unregister_sysctl_table(fg_sysctl_header);
	fg_mt_exit();
	WRITE_ONCE(fg_enabled, 0);
	fg_policy_sync_hook();
	fg_hook_exit();
	fg_lineage_exit();
	fg_policy_exit();
	fg_report_exit();
	pr_info("unloaded\n");
}

module_init(forkgov_init);
module_exit(forkgov_exit);

MODULE_DESCRIPTION("Per-cgroup fork-rate governor and fork-without-exec reporter");
MODULE_AUTHOR("The forkgov developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(FORKGOV_VERSION);
