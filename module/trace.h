/* SPDX-License-Identifier: GPL-2.0 */
/*
 * forkgov's trace events: forkgov:deny, forkgov:throttle and forkgov:log for
 * the governor's decisions (emitted in the fork path, for the forking task),
 * forkgov:mt_fork for each fork-without-exec report.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM forkgov

#if !defined(_FORKGOV_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _FORKGOV_TRACE_H

#include <linux/sched.h>
#include <linux/tracepoint.h>

#define FG_OUTCOME_LEN	8

DECLARE_EVENT_CLASS(forkgov_verdict,
		    TP_PROTO(u64 cgroup_id, u64 policy_id, u64 delay_ns),
		    TP_ARGS(cgroup_id, policy_id, delay_ns),
		    TP_STRUCT__entry(__field(pid_t, pid)
				     __array(char, comm, TASK_COMM_LEN)
				     __field(u64, cgroup_id)
				     __field(u64, policy_id)
				     __field(u64, delay_ns)),
		    TP_fast_assign(__entry->pid = task_pid_nr(current);
				   memcpy(__entry->comm, current->comm,
					  TASK_COMM_LEN);
				   __entry->cgroup_id = cgroup_id;
				   __entry->policy_id = policy_id;
				   __entry->delay_ns = delay_ns;),
		    TP_printk("pid=%d comm=%s cgroup_id=%llu policy_cgroup_id=%llu delay_ns=%llu",
			      __entry->pid, __entry->comm, __entry->cgroup_id,
			      __entry->policy_id, __entry->delay_ns)
);

DEFINE_EVENT(forkgov_verdict, deny,
	     TP_PROTO(u64 cgroup_id, u64 policy_id, u64 delay_ns),
	     TP_ARGS(cgroup_id, policy_id, delay_ns));

DEFINE_EVENT(forkgov_verdict, throttle,
	     TP_PROTO(u64 cgroup_id, u64 policy_id, u64 delay_ns),
	     TP_ARGS(cgroup_id, policy_id, delay_ns));

DEFINE_EVENT(forkgov_verdict, log,
	     TP_PROTO(u64 cgroup_id, u64 policy_id, u64 delay_ns),
	     TP_ARGS(cgroup_id, policy_id, delay_ns));

TRACE_EVENT(mt_fork,
	    TP_PROTO(pid_t ppid, const char *pcomm, int threads, pid_t pid,
		     u64 cgroup_id, const char *outcome, int status,
		     u64 elapsed_ms),
	    TP_ARGS(ppid, pcomm, threads, pid, cgroup_id, outcome, status,
		    elapsed_ms),
	    TP_STRUCT__entry(__field(pid_t, ppid)
			     __array(char, pcomm, TASK_COMM_LEN)
			     __field(int, threads)
			     __field(pid_t, pid)
			     __field(u64, cgroup_id)
			     __array(char, outcome, FG_OUTCOME_LEN)
			     __field(int, status)
			     __field(u64, elapsed_ms)),
	    TP_fast_assign(__entry->ppid = ppid;
			   strscpy(__entry->pcomm, pcomm, TASK_COMM_LEN);
			   __entry->threads = threads;
			   __entry->pid = pid;
			   __entry->cgroup_id = cgroup_id;
			   strscpy(__entry->outcome, outcome, FG_OUTCOME_LEN);
			   __entry->status = status;
			   __entry->elapsed_ms = elapsed_ms;),
	    TP_printk("ppid=%d pcomm=%s threads=%d pid=%d cgroup_id=%llu outcome=%s status=%d elapsed_ms=%llu",
		      __entry->ppid, __entry->pcomm, __entry->threads,
		      __entry->pid, __entry->cgroup_id, __entry->outcome,
		      __entry->status, __entry->elapsed_ms)
);

TRACE_EVENT(lineage,
	    TP_PROTO(u32 depth, pid_t root, const char *root_comm,
		     u64 cgroup_id, const char *reason, const char *outcome),
	    TP_ARGS(depth, root, root_comm, cgroup_id, reason, outcome),
	    TP_STRUCT__entry(__field(pid_t, pid)
			     __array(char, comm, TASK_COMM_LEN)
			     __field(u32, depth)
			     __field(pid_t, root)
			     __array(char, root_comm, TASK_COMM_LEN)
			     __field(u64, cgroup_id)
			     __array(char, reason, 8)
			     __array(char, outcome, FG_OUTCOME_LEN + 2)),
	    TP_fast_assign(__entry->pid = task_tgid_nr(current);
			   memcpy(__entry->comm, current->comm, TASK_COMM_LEN);
			   __entry->depth = depth;
			   __entry->root = root;
			   memcpy(__entry->root_comm, root_comm, TASK_COMM_LEN);
			   __entry->cgroup_id = cgroup_id;
			   strscpy(__entry->reason, reason, 8);
			   strscpy(__entry->outcome, outcome,
				   FG_OUTCOME_LEN + 2);),
	    TP_printk("pid=%d comm=%s depth=%u root_pid=%d root_comm=%s cgroup_id=%llu reason=%s outcome=%s",
		      __entry->pid, __entry->comm, __entry->depth,
		      __entry->root, __entry->root_comm, __entry->cgroup_id,
		      __entry->reason, __entry->outcome)
);

#endif /* _FORKGOV_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
