/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parser of the lines written to /proc/forkgov/policies.  Pure string work,
 * compiled into the module, the userspace unit tests and forkgovctl.
 */
#ifndef _FORKGOV_PARSE_H
#define _FORKGOV_PARSE_H

#include <linux/bits.h>
#include <linux/types.h>

#include "bucket.h"

#define FG_LINE_MAX		4095
#define FG_WRITE_MAX		(1024 * 1024)
#define FG_RATE_MAX_PER_S	1000000
#define FG_BURST_MAX		1000000
#define FG_MAX_DELAY_MS		60000
#define FG_DEFAULT_DELAY_MS	1000
#define FG_MAX_DENY_DELAY_MS	10000
#define FG_DEFAULT_DENY_DELAY_MS	1000
/* Owner labels: 1 to FG_OWNER_LEN - 1 of [A-Za-z0-9._-]. */
#define FG_OWNER_LEN		16
#define FG_OWNER_DEFAULT	"cli"
/* burst * interval must stay well inside u64 nanoseconds (146 years). */
#define FG_HORIZON_NS		BIT_ULL(62)

enum fg_op_kind {
	FG_OP_NONE,		/* blank line or comment */
	FG_OP_SET,
	FG_OP_DEL,
	FG_OP_FLUSH,
};

/**
 * struct fg_op - one parsed line
 * @kind:   what the line asks for
 * @path:   cgroup path, unescaped, inside the caller's line buffer
 * @params: for FG_OP_SET, the complete parameters
 * @owner:   for FG_OP_SET, who sets the policy (owner=, default "cli")
 * @pending: for FG_OP_SET, the cgroup may not exist yet (word "pending")
 * @persist: for FG_OP_SET, the policy outlives its cgroup and comes back
 *           with it (word "persist")
 */
struct fg_op {
	enum fg_op_kind kind;
	char *path;
	struct fg_params params;
	char owner[FG_OWNER_LEN];
	bool pending;
	bool persist;
};

/* The keys of a set line, in the order fg_format_params() prints them. */
enum fg_key {
	FG_KEY_RATE,
	FG_KEY_BURST,
	FG_KEY_ACTION,
	FG_KEY_MAX_DELAY,
	FG_KEY_SCOPE,
	FG_KEY_COUNT,
	FG_KEY_MT_WARN,
	FG_KEY_DENY_DELAY,
	FG_NR_KEYS,
};

int fg_parse_line(char *line, struct fg_op *op, const char **why);
int fg_parse_rate(const char *s, u64 *milli, u32 *period_s);
int fg_parse_duration_ms(const char *s, u32 *ms);
int fg_parse_u32(const char *s, u32 min, u32 max, u32 *out);
int fg_parse_key(const char *name);
int fg_parse_owner(const char *s, char *owner, const char **why);
void fg_init_params(struct fg_params *p);
int fg_set_key(struct fg_params *p, int key, const char *val,
	       const char **why);
int fg_finish_params(struct fg_params *p, unsigned int seen, const char **why);
int fg_format_rate(char *buf, size_t size, const struct fg_params *p);
int fg_format_params(char *buf, size_t size, const struct fg_params *p);

/* Room for fg_format_params(). */
#define FG_PARAMS_LEN		192

const char *fg_action_name(unsigned int action);
const char *fg_scope_name(unsigned int scope);
const char *fg_count_name(unsigned int count);
const char *fg_mt_warn_name(unsigned int mt_warn);

#endif /* _FORKGOV_PARSE_H */
