// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/forkgov: the policy table, the global counters and the table of
 * fork-without-exec offenders (its code is in mtfork.c).
 *
 * The format is a contract with userspace, written down in
 * Documentation/admin-guide/forkgov/interface.rst.  The file mode lets
 * only root open the table for writing (other users get EACCES); the
 * capability check below then refuses, with EPERM, every root that lacks
 * CAP_SYS_ADMIN in the initial user namespace, such as the root of a child
 * user namespace.
 */
#include <linux/capability.h>
#include <linux/proc_fs.h>
#include <linux/ratelimit.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "forkgov.h"
#include "parse.h"

struct proc_dir_entry *fg_proc_dir;

static DEFINE_RATELIMIT_STATE(fg_input_rs, 5 * HZ, 5);

/* Both the opener and the writer must hold the capability. */
static bool fg_may_write(struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN) &&
	       capable(CAP_SYS_ADMIN);
}

static void fg_input_error(int line, const char *why, int err)
{
	if (!__ratelimit(&fg_input_rs))
		return;
	if (line)
		pr_notice("policies: line %d: %s (%d)\n", line, why, err);
	else
		pr_notice("policies: %s (%d)\n", why, err);
}

/* Count the lines of a write and check their length. */
static int fg_count_lines(const char *buf, size_t len, unsigned int *nlines)
{
	const char *p = buf, *end = buf + len, *nl;
	unsigned int n = 0;

	while (p < end) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		if (nl - p > FG_LINE_MAX)
			return n + 1;
		n++;
		p = nl + 1;
	}
	*nlines = n;
	return 0;
}

static int fg_parse_write(char *buf, struct fg_txn *txn, int *bad_line,
			  const char **why)
{
	char *line, *rest = buf;
	struct fg_op op;
	int n = 0, err;

	while ((line = strsep(&rest, "\n"))) {
		n++;
		err = fg_parse_line(line, &op, why);
		if (!err)
			err = fg_txn_add(txn, &op, n);
		if (err) {
			*bad_line = n;
			return err;
		}
		if (!rest || !*rest)
			break;
	}
	return 0;
}

static ssize_t fg_policies_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	const char *why = "";
	struct fg_txn *txn = NULL;
	unsigned int nlines = 0;
	int err, bad_line = 0;
	char *buf;

	if (!fg_may_write(file))
		return -EPERM;
	if (!count)
		return 0;
	if (count > FG_WRITE_MAX) {
		fg_input_error(0, "write larger than 1 MiB", -E2BIG);
		return -E2BIG;
	}
	/* Read exactly @count bytes: the byte after them may be unmapped. */
	buf = kvmalloc(count + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf, ubuf, count)) {
		kvfree(buf);
		return -EFAULT;
	}
	buf[count] = '\0';

	err = -EINVAL;
	why = "NUL byte in input";
	if (strlen(buf) != count)
		goto out;
	bad_line = fg_count_lines(buf, count, &nlines);
	if (bad_line) {
		err = -E2BIG;
		why = "line longer than 4095 bytes";
		goto out;
	}
	err = -ENOMEM;
	txn = fg_txn_alloc(nlines);
	if (!txn)
		goto out;
	err = fg_parse_write(buf, txn, &bad_line, &why);
	if (!err)
		err = fg_txn_commit(txn, &bad_line, &why);
out:
	if (err && err != -ENOMEM)
		fg_input_error(bad_line, why, err);
	fg_txn_free(txn);
	kvfree(buf);
	return err ? err : count;
}

/*
 * Any user may read the table; what it shows depends on the opener.  Holders
 * of CAP_SYS_ADMIN in the initial user namespace see every policy and child
 * bucket, with paths from the root of the hierarchy (as writes name them)
 * and pids as the initial pid namespace numbers them.  Everyone else sees
 * what lies at or below the root of its cgroup namespace, paths relative to
 * that root, and pids as its pid namespace numbers them ("-", with the name,
 * for a task it cannot see): a container learns nothing about the rest of
 * the machine.  Reading costs the reader one page of buffer and blocks
 * nobody (see policy.c).
 */
static int fg_policies_open(struct inode *inode, struct file *file)
{
	if ((file->f_mode & FMODE_WRITE) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	return fg_policy_show_open(file,
				   file_ns_capable(file, &init_user_ns,
						   CAP_SYS_ADMIN));
}

static const struct proc_ops fg_policies_ops = {
	.proc_open	= fg_policies_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_write	= fg_policies_write,
	.proc_release	= fg_policy_show_release,
};

/*
 * Global counters only, no names: readable by all, as /proc/stat is.  They
 * tell a container how busy the governor is, nothing about whom it governs.
 */
static int fg_stats_show(struct seq_file *m, void *v)
{
	struct fg_stats st;

	fg_stats_sum(&st);
	seq_printf(m, "version %s\n", FORKGOV_VERSION);
	seq_printf(m, "enabled %d\n", READ_ONCE(fg_enabled));
	seq_printf(m, "hook_installed %d\n", fg_hook_installed());
	seq_printf(m, "policies %u\n", fg_policy_count());
	seq_printf(m, "child_buckets %u\n", fg_child_count());
	seq_printf(m, "hook_hits %llu\n", st.hook_hits);
	seq_printf(m, "governed %llu\n", st.governed);
	seq_printf(m, "allowed %llu\n", st.allowed);
	seq_printf(m, "denied %llu\n", st.denied);
	seq_printf(m, "throttled %llu\n", st.throttled);
	seq_printf(m, "throttle_ns %llu\n", st.throttle_ns);
	seq_printf(m, "logged %llu\n", st.logged);
	seq_printf(m, "restarts %llu\n", st.restarts);
	seq_printf(m, "deny_sleeps %llu\n", st.deny_sleeps);
	seq_printf(m, "deny_sleep_ns %llu\n", st.deny_sleep_ns);
	seq_printf(m, "pending_policies %u\n", READ_ONCE(fg_npending));
	seq_printf(m, "pending_overflows %lu\n", fg_pending_overflows());
	seq_printf(m, "pending_waits %lu\n", fg_pending_waits());
	fg_mt_stats_show(m);
	fg_lineage_stats_show(m);
	return 0;
}

int fg_iface_init(void)
{
	fg_proc_dir = proc_mkdir("forkgov", NULL);
	if (!fg_proc_dir)
		return -ENOMEM;
	if (!proc_create("policies", 0644, fg_proc_dir, &fg_policies_ops) ||
	    !proc_create_single("stats", 0444, fg_proc_dir, fg_stats_show) ||
	    !proc_create("mt_offenders", 0444, fg_proc_dir,
			 &fg_mt_offenders_ops)) {
		proc_remove(fg_proc_dir);
		return -ENOMEM;
	}
	return 0;
}

/* proc_remove() waits for every reader and writer in progress. */
void fg_iface_exit(void)
{
	proc_remove(fg_proc_dir);
}
