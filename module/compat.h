/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, in one place.  Force-included from Kbuild, so
 * the rest of forkgov is written against the newest kernel in the matrix and
 * reads clean.  Each shim names the kernel it stands in for; the FG_HAVE_*
 * feature probes are set by Kbuild from the headers built against.
 */
#ifndef _FORKGOV_COMPAT_H
#define _FORKGOV_COMPAT_H

/*
 * Sysctl tables.  v6.6 (commit 9edbfe92a0a1, "sysctl: Add size to
 * register_sysctl") made register_sysctl() size its table with ARRAY_SIZE();
 * from then on a trailing empty sentinel is counted as an entry and makes
 * registration fail.  Before it, the sentinel is how the end is found.  Tables
 * end with FG_CTL_TABLE_END, which is empty where the size is known.
 *
 * v6.11 (commit 78eb4ea25cd5, "sysctl: treewide: constify the ctl_table
 * argument of proc_handlers") made handlers take a const table.
 */
#ifdef FG_HAVE_REGISTER_SYSCTL_SZ
#define FG_CTL_TABLE_END
#else
#define FG_CTL_TABLE_END {}
#endif

#ifdef FG_HAVE_CONST_CTL_TABLE
#define fg_ctl_table const struct ctl_table
#else
#define fg_ctl_table struct ctl_table
#endif

/*
 * get_file_rcu(), under rcu_read_lock().  v6.7 ("file: convert to
 * SLAB_TYPESAFE_BY_RCU") turned it from a macro that takes a reference to a
 * file into a function that loads an __rcu file pointer, takes a reference
 * and checks that the pointer still names that file.  (Added for mtfork.c,
 * which reads mm->exe_file: get_mm_exe_file() is not exported.)
 */
#ifdef FG_HAVE_GET_FILE_RCU_PTR
#define fg_get_file_rcu(fpp)	get_file_rcu(fpp)
#else
#define fg_get_file_rcu(fpp) ({					\
	struct file *__f = rcu_dereference(*(fpp));			\
	__f && get_file_rcu(__f) ? __f : NULL;				\
})
#endif

/*
 * The pt_regs inside an x86-64 struct ftrace_regs.  Without
 * FTRACE_OPS_FL_SAVE_REGS, ftrace_caller still saves and restores the
 * argument registers and the instruction pointer there (what livepatch
 * relies on), so a callback may read the arguments and redirect the call.
 * v6.13-rc1 (commit 7888af4166d4, "ftrace: Make ftrace_regs abstract from
 * direct use") hid the structure behind arch_ftrace_regs(); Debian's 6.12
 * has the backport.
 */
#ifdef FG_HAVE_ARCH_FTRACE_REGS
#define fg_fregs_pt_regs(fregs)	(&arch_ftrace_regs(fregs)->regs)
#else
#define fg_fregs_pt_regs(fregs)	(&(fregs)->regs)
#endif

/*
 * inode_permission()'s first argument.  v6.3 ("fs: port ->permission() to
 * pass mnt_idmap") replaced the user namespace of the mount by its
 * idmapping; the identity one, nop_mnt_idmap, stands for init_user_ns
 * before.  (Added for hook.c, which checks cgroup.procs as the kernel does
 * for CLONE_INTO_CGROUP; a cgroup file system is never idmapped.)
 */
#ifndef FG_HAVE_MNT_IDMAP
#define nop_mnt_idmap	init_user_ns
#endif

#endif /* _FORKGOV_COMPAT_H */
