/* SPDX-License-Identifier: GPL-2.0 */
/*
 * forkgovctl: configure the forkgov fork-rate governor.
 *
 * Everything the tool knows about the kernel comes from
 * Documentation/admin-guide/forkgov/interface.rst: the text format of
 * /proc/forkgov/policies and /proc/forkgov/stats, the knobs under
 * /proc/sys/kernel/forkgov/ and the errno of a refused write.
 */
#ifndef _FORKGOVCTL_H
#define _FORKGOVCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json_writer.h"
/*
 * The policy grammar is the kernel's own: module/parse.c, compiled in with
 * the stand-in kernel headers of tools/include.
 */
#include "bucket.h"
#include "parse.h"
#include "k8s.h"

#define FGCTL_VERSION		"0.1.0"

#define FG_PATH_MAX		4096

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif

/* Exit status, documented in forkgovctl(8). */
enum fg_exit {
	FG_EXIT_OK	= 0,	/* done */
	FG_EXIT_USAGE	= 1,	/* bad command line or value */
	FG_EXIT_KERNEL	= 2,	/* the kernel refused the change */
	FG_EXIT_NOMOD	= 3,	/* forkgov is not loaded */
	FG_EXIT_CONFIG	= 4,	/* a configuration file is wrong */
	FG_EXIT_SYSTEM	= 5,	/* I/O error, out of memory, bad kernel output */
	FG_EXIT_NOTFOUND = 6,	/* show/suggest: no policy on that cgroup */
	FG_EXIT_CONFLICT = 7,	/* apply: another owner's policy, no --take-over */
};

struct fg_counters {
	long long tokens;
	uint64_t allowed, denied, throttled, logged;
	uint64_t throttle_ns, throttle_max_ns, peak_1s;
	long long last_pid;		/* -1: none */
	char *last_comm;		/* NULL: none */
	char *last_cgroup;		/* NULL: none or removed */
};

enum fg_kind { FG_KIND_POLICY, FG_KIND_CHILD };

/* One line of /proc/forkgov/policies. */
struct fg_entry {
	enum fg_kind kind;
	char *cgroup;			/* unescaped path */
	char *policy;			/* child: path of its policy */
	struct fg_params p;		/* child: copied from its policy */
	struct fg_counters c;
	char owner[FG_OWNER_LEN];	/* "" from a kernel without owners */
	bool pending;			/* waits for its cgroup */
	bool persist;			/* outlives its cgroup */
};

struct fg_table {
	struct fg_entry *v;
	size_t n, cap;
};

/* One name/value line of /proc/forkgov/stats. */
struct fg_stat {
	char *name;
	char *value;
};

struct fg_stats {
	struct fg_stat *v;
	size_t n;
};

/* main.c: global options and messages. */
extern bool json_output;
extern bool pretty_output;
extern json_writer_t *json_wtr;
extern const char *prog_name;

void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_err_errno(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void p_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fgctl_main(int argc, char **argv);
bool is_prefix(const char *pfx, const char *str);

/* Argument helpers in the style of bpftool. */
#define NEXT_ARG()	({ argc--; argv++; if (argc < 0) usage(); })
#define GET_ARG()	({ argc--; *argv++; })
#define REQ_ARGS(cnt)							\
	({								\
		int _cnt = (cnt);					\
		bool _res = argc >= _cnt;				\
		if (!_res)						\
			p_err("'%s' needs at least %d argument(s), %d found", \
			      argv[-1], _cnt, argc);			\
		_res;							\
	})

void usage(void) __attribute__((noreturn));

/*
 * params.c: the policy keys with forkgovctl's spellings and sentences, on
 * top of the kernel's parser.  @given collects (1U << FG_KEY_*) of the keys
 * that were given.
 */
int fg_params_set(struct fg_params *p, unsigned int *given, const char *key,
		  const char *val, const char **why);
int fg_params_finish(struct fg_params *p, unsigned int given, const char **why);
bool fg_params_equal(const struct fg_params *a, const struct fg_params *b);
double fg_rate_per_s(const struct fg_params *p);

/* table.c: the text of the proc files. */
char *fg_unescape(const char *s);
const char *fg_visible(char *buf, size_t size, const char *s);
int fg_escape(char *buf, size_t size, const char *s);
int fg_table_parse(const char *text, struct fg_table *t, const char **why);
void fg_table_free(struct fg_table *t);
struct fg_entry *fg_table_find(struct fg_table *t, enum fg_kind kind,
			       const char *cgroup);
int fg_stats_parse(const char *text, struct fg_stats *s);
const char *fg_stats_get(const struct fg_stats *s, const char *name);
void fg_stats_free(struct fg_stats *s);
int fg_format_set(char *buf, size_t size, const char *cgroup,
		  const struct fg_params *p, unsigned int given);
int fg_format_del(char *buf, size_t size, const char *cgroup);
int fg_format_owner(char *buf, size_t size, int n, const char *owner,
		    bool pending, bool persist);

/* kernel.c: files under /proc. */
const char *fg_proc_dir(void);
const char *fg_sysctl_dir(void);
const char *fg_sysmodule_dir(void);
int fg_read_file(const char *path, char **text);
int fg_read_table(struct fg_table *t);
int fg_read_stats(struct fg_stats *s);
int fg_write_policies(const char *buf, size_t len, const char *what,
		      char **lines, size_t nlines);
int fg_errno_exit(int err);
void fg_explain(int err, const char *what);
const char *fg_errno_name(int err);
int fg_module_check(void);
int fg_sysctl_read(const char *key, char *buf, size_t size);

/* cgroup.c: paths. */
const char *fg_cgroup_mount(void);
int fg_cgroup_resolve(const char *arg, char *out, size_t size, bool must_exist,
		      char *err, size_t errsize);
int fg_cgroup_create(const char *cgroup, char *err, size_t errsize);

/* config.c: /etc/forkgov.d. */
struct fg_conf_policy {
	char *cgroup;
	struct fg_params p;
	unsigned int given;		/* (1U << FG_KEY_*) */
	bool create;
	bool create_given;
	bool pending;			/* the cgroup may come later */
	bool persist;			/* the policy outlives the cgroup */
	unsigned int flags_given;	/* (1U << FG_CONF_*) */
	char *file;
	unsigned int line;
};

enum { FG_CONF_CREATE, FG_CONF_PENDING, FG_CONF_PERSIST };

struct fg_config {
	struct fg_conf_policy *v;
	size_t n, cap;
};

char *fg_trim(char *s);
int fg_config_parse(const char *text, const char *file, struct fg_config *c,
		    char *err, size_t errsize);
int fg_config_load(const char *path, struct fg_config *c, char *err,
		   size_t errsize);
int fg_config_load_dirs(const char *root, struct fg_config *c, char *err,
			size_t errsize);
void fg_config_free(struct fg_config *c);

/* diff.c: config against kernel table. */
/* FG_CH_CONFLICT: a configured cgroup with another owner's policy, kept */
enum fg_change {
	FG_CH_ADD, FG_CH_REPLACE, FG_CH_DELETE, FG_CH_KEEP, FG_CH_CONFLICT
};

struct fg_diff_item {
	enum fg_change change;
	const char *cgroup;
	const struct fg_params *want;	/* NULL for delete */
	unsigned int want_given;	/* the keys @want was given */
	const struct fg_params *have;	/* NULL for add */
	const char *have_owner;		/* the owner of @have, "" if not shown */
	bool pending;			/* @want: pending, persist */
	bool persist;
};

struct fg_diff {
	struct fg_diff_item *v;
	size_t n;
	size_t adds, replaces, deletes, keeps, conflicts;
	const char *owner;		/* the owner apply sets policies as */
};

#define FG_DIFF_KEEP_UNMANAGED	(1U << 0)	/* delete nothing unnamed */
#define FG_DIFF_TAKE_OVER	(1U << 1)	/* replace other owners' policies */
int fg_diff_compute(const struct fg_config *c, const struct fg_table *t,
		    unsigned int flags, struct fg_diff *d);
struct fg_state;
int fg_diff_compute_owned(const struct fg_config *c, const struct fg_table *t,
			  const struct fg_state *owned, bool take_over,
			  struct fg_diff *d);
int fg_diff_lines(const struct fg_diff *d, char **buf, size_t *len,
		  char ***lines, size_t *nlines);
void fg_diff_print(const struct fg_diff *d, FILE *f);
void fg_diff_json(const struct fg_diff *d, json_writer_t *w);
void fg_diff_free(struct fg_diff *d);
const char *fg_change_name(enum fg_change ch);

/* state.c: the policies the last apply set (/run/forkgov/applied). */
struct fg_state_entry {
	char *cgroup;
	struct fg_params p;
};

struct fg_state {
	struct fg_state_entry *v;
	size_t n, cap;
};

const char *fg_state_path(void);
int fg_state_parse(const char *text, struct fg_state *s, char *err,
		   size_t errsize);
int fg_state_load(struct fg_state *s);
bool fg_state_owns(const struct fg_state *s, const char *cgroup,
		   const struct fg_params *now);
int fg_state_save(const struct fg_config *c);
void fg_state_free(struct fg_state *s);

/* oci_hook.c: forkgovctl oci-hook, the OCI runtime hook. */
int fg_oci_policy_parse(const char *s, struct fg_params *p,
			unsigned int *given, char *err, size_t errsize);
int fg_oci_check_bounds(const struct fg_table *t, const char *cgroup,
			const struct fg_params *want, char *err,
			size_t errsize);
int fg_oci_cgroup_of(const char *procfs, long pid, char *out, size_t size,
		     char *err, size_t errsize);
int do_oci_hook(int argc, char **argv);
bool fg_oci_rate_above(const struct fg_params *a, const struct fg_params *b);

/* oci_conf.c: the host's file for the hook (oci-hook.conf). */
struct fg_oci_conf {
	bool annotations;		/* false: refuse every annotation */
	unsigned int allow;		/* keys an annotation may give */
	bool has_max_rate;
	struct fg_params max_rate;	/* its rate is the ceiling */
	unsigned int max_burst;		/* 0: no ceiling */
	bool has_template;
	struct fg_params template;	/* without an annotation */
	unsigned int template_given;
};

const char *fg_oci_conf_path(void);
void fg_oci_conf_init(struct fg_oci_conf *c);
int fg_oci_conf_parse(const char *text, const char *file,
		      struct fg_oci_conf *c, char *err, size_t errsize);
int fg_oci_conf_load(const char *path, struct fg_oci_conf *c, char *err,
		     size_t errsize);
int fg_oci_conf_check(const struct fg_oci_conf *c, const struct fg_params *want,
		      unsigned int given, char *err, size_t errsize);
int fg_oci_check_template(const struct fg_oci_conf *c,
			  const struct fg_params *want, char *err,
			  size_t errsize);

/* output.c: list and show. */
void fg_print_table(const struct fg_table *t, const char *only, FILE *f);
int fg_list_columns_check(void);

/* output.c: the tables of list and watch (-o, --noheadings, the terminal). */
#define FG_MAX_COLS	16
struct fg_col {
	const char *name;	/* for -o/--output */
	const char *head;
	bool left;		/* left-aligned */
	bool path;		/* never cut; a line of its own when too wide */
};

struct fg_tab {
	const struct fg_col *cols;
	int ncols;
	void (*cells)(const struct fg_entry *e, const void *ctx,
		      char cells[][FG_PATH_MAX]);
	const void *ctx;
	bool (*wanted)(const struct fg_entry *e, const char *only);
};

int fg_term_width(FILE *f);
int fg_tab_columns(const struct fg_tab *tab, int *idx);
size_t fg_tab_print(const struct fg_tab *tab, const struct fg_table *t,
		    const char *only, FILE *f, int *hidden);
void fg_print_detail(const struct fg_table *t, const char *only, FILE *f);
void fg_json_entry(json_writer_t *w, const struct fg_table *t,
		   const struct fg_entry *e);
void fg_json_table(json_writer_t *w, const struct fg_table *t,
		   const char *only);
void fg_print_prometheus(const struct fg_table *t, const struct fg_stats *s,
			 const char *only, FILE *f);
void fg_print_prom_globals(const struct fg_stats *s, FILE *f);
void fg_print_prom_up(FILE *f, bool up);
void fg_prom_escape(FILE *f, const char *s);
void fg_prom_k8s_labels(FILE *f, const char *cgroup);
void fg_json_k8s(json_writer_t *w, const char *cgroup);
void fg_format_count(char *buf, size_t size, uint64_t v);

/* mt.c: the offenders of the fork-without-exec reporter. */
struct fg_offender {
	char *comm;			/* unescaped */
	char *cgroup;			/* unescaped */
	char *exe;			/* unescaped; NULL: not shown */
	uint64_t cgroup_id;
	uint64_t count;
	long long first;		/* seconds since the epoch */
	long long last;
	int pid;			/* 0: not shown */
};

struct fg_offenders {
	struct fg_offender *v;
	size_t n;
};

int fg_offenders_parse(char *text, struct fg_offenders *t, const char **why);
void fg_offenders_free(struct fg_offenders *t);
void fg_print_offenders(const struct fg_offenders *t, FILE *f);
void fg_json_offenders(json_writer_t *w, const struct fg_offenders *t);
void fg_prom_offenders(const struct fg_offenders *t, FILE *f);
int fg_read_proc(const char *name, char **text);

/* Command handlers. */
int do_set(int argc, char **argv);
int do_del(int argc, char **argv);
int do_flush(int argc, char **argv);
int do_list(int argc, char **argv);
int do_show(int argc, char **argv);
int do_apply(int argc, char **argv);
int do_suggest(int argc, char **argv);
int do_status(int argc, char **argv);
int do_sysctl(int argc, char **argv);
int do_watch(int argc, char **argv);
int do_metrics(int argc, char **argv);
int do_mt(int argc, char **argv);

/* Options that only some commands accept (set by getopt in main.c). */
extern bool opt_prometheus;
extern bool opt_dry_run;
extern bool opt_keep_unmanaged;
extern bool opt_take_over;
extern bool opt_skip_missing;
extern bool opt_pending;
extern bool opt_persist;
extern const char *opt_owner;
extern const char *opt_root;
extern const char *opt_output;
extern bool opt_noheadings;
extern bool opt_raw;
#define FG_OWNER_CONFIG		"config"
#define FG_OWNER_OCI		"oci"
const char *fg_apply_owner(void);

#endif /* _FORKGOVCTL_H */
