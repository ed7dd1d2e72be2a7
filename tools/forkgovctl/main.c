// SPDX-License-Identifier: GPL-2.0
/*
 * forkgovctl - configure the forkgov fork-rate governor
 *
 * Shaped like bpftool: global options, then a command looked up by prefix
 * in a table ("forkgovctl sh /build.slice" is "show"), then its arguments
 * taken one by one with NEXT_ARG()/REQ_ARGS().  With -j every result and
 * every error is JSON on stdout, and nothing else is printed.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "forkgovctl.h"

bool json_output;
bool pretty_output;
json_writer_t *json_wtr;
const char *prog_name = "forkgovctl";

bool opt_prometheus;
bool opt_dry_run;
bool opt_keep_unmanaged;
bool opt_take_over;
bool opt_skip_missing;
bool opt_pending;
bool opt_persist;
const char *opt_owner;
const char *opt_root;
const char *opt_output;
bool opt_noheadings;
bool opt_raw;

/* The owner "apply" sets its policies as, and deletes only those of. */
const char *fg_apply_owner(void)
{
	return opt_owner ?: FG_OWNER_CONFIG;
}

bool is_prefix(const char *pfx, const char *str)
{
	return *pfx && !strncmp(pfx, str, strlen(pfx));
}

static void p_json_err(const char *msg, int err)
{
	json_writer_t *w = json_wtr;

	if (!w)
		w = jsonw_new(stdout);
	if (!w)
		return;
	jsonw_pretty(w, pretty_output);
	jsonw_start_object(w);
	jsonw_string_field(w, "error", msg);
	if (err) {
		jsonw_string_field(w, "errno", fg_errno_name(err));
		jsonw_int_field(w, "errno_value", err);
	}
	jsonw_end_object(w);
	if (!json_wtr)
		jsonw_destroy(&w);
}

static void vp_err(int err, const char *fmt, va_list ap)
{
	char msg[8192];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (json_output) {
		p_json_err(msg, err);
		return;
	}
	if (err)
		fprintf(stderr, "Error: %s [%s]\n", msg, strerror(err));
	else
		fprintf(stderr, "Error: %s\n", msg);
}

void p_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vp_err(0, fmt, ap);
	va_end(ap);
}

void p_err_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vp_err(err, fmt, ap);
	va_end(ap);
}

/* Warnings and chatter go to stderr, and are silent in JSON mode. */
void p_warn(const char *fmt, ...)
{
	va_list ap;

	if (json_output)
		return;
	va_start(ap, fmt);
	fputs("Warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void p_info(const char *fmt, ...)
{
	va_list ap;

	if (json_output)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"  set CGROUP rate R[/s|/min|/h] [burst N] [action deny|throttle|log]\n"
		"             [max-delay N[ms|s]] [scope subtree|per-child]\n"
		"             [count forks|tasks] [mt-warn inherit|on|off]\n"
		"             [deny-delay N[ms|s]] [--pending] [--persist]\n"
		"             [--owner LABEL]\n"
		"  del CGROUP\n"
		"  flush\n"
		"  list [--owner LABEL] [-o COLUMNS] [--noheadings] [--raw]\n"
		"                            all policies and their counters\n"
		"  show CGROUP               one policy or child bucket in detail\n"
		"  watch [CGROUP] [interval SECONDS] [iterations N] [-o COLUMNS]\n"
		"             [--noheadings] [--raw]\n"
		"  apply [FILE|DIR] [--dry-run] [--keep-unmanaged] [--take-over]\n"
		"             [--skip-missing] [--owner LABEL] [--root DIR]\n"
		"                            without FILE|DIR: /etc, /run,\n"
		"                            /usr/local/lib and /usr/lib/forkgov.d\n"
		"  suggest CGROUP [sample SECONDS]\n"
		"  status\n"
		"  mt [--noheadings]         programs that fork from threads without\n"
		"                            exec (/proc/forkgov/mt_offenders)\n"
		"  sysctl [KEY[=VALUE]]\n"
		"  oci-hook                  OCI runtime hook (state JSON on stdin)\n"
		"  metrics FILE              --prometheus text with forkgov_up, written\n"
		"                            atomically (node_exporter's textfile)\n"
		"  help | version\n"
		"\n"
		"OPTIONS, before or after the command:\n"
		"  -j|--json  -p|--pretty  -V|--version  -h|--help\n"
		"  --prometheus              with list, show, status, mt\n"
		"  -o|--output COL,...  -r|--raw\n"
		"                            with list, watch\n"
		"  --noheadings              with list, watch, mt\n"
		"CGROUP is a path from the cgroup2 root (/build.slice) or a directory\n"
		"under the cgroup2 mount (/sys/fs/cgroup/build.slice).\n"
		"See forkgovctl(8).\n",
		prog_name);
}

void usage(void)
{
	if (json_output) {
		p_err("bad command line; see '%s help'", prog_name);
		jsonw_destroy(&json_wtr);
	} else {
		print_usage(stderr);
	}
	exit(FG_EXIT_USAGE);
}

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (json_output) {
		p_err("no help in JSON; see forkgovctl(8)");
		return FG_EXIT_USAGE;
	}
	print_usage(stdout);
	return FG_EXIT_OK;
}

static int do_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "version", FGCTL_VERSION);
		jsonw_end_object(json_wtr);
	} else {
		printf("%s %s\n", prog_name, FGCTL_VERSION);
	}
	return FG_EXIT_OK;
}

struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
	bool exact;	/* destructive: no abbreviation */
	bool prometheus;	/* takes --prometheus */
	bool table;		/* takes -o, --noheadings and --raw */
};

/* Order decides abbreviations: "s" is show, "se" set, "st" status. */
static const struct cmd cmds[] = {
	{ "list",	do_list,	false,	true,	true },
	{ "show",	do_show,	false,	true,	false },
	{ "set",	do_set,		false,	false,	false },
	{ "delete",	do_del,		false,	false,	false },
	{ "del",	do_del,		false,	false,	false },
	{ "flush",	do_flush,	true,	false,	false },
	{ "apply",	do_apply,	false,	false,	false },
	{ "watch",	do_watch,	false,	false,	true },
	{ "status",	do_status,	false,	true,	false },
	{ "suggest",	do_suggest,	false,	false,	false },
	{ "sysctl",	do_sysctl,	false,	false,	false },
	{ "help",	do_help,	false,	false,	false },
	{ "version",	do_version,	false,	false,	false },
	{ "oci-hook",	do_oci_hook,	true,	false,	false },
	{ "metrics",	do_metrics,	false,	false,	false },
	{ "mt",		do_mt,		false,	true,	true },
	{ NULL, NULL, false, false, false }
};

static int cmd_select(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 1)
		usage();
	for (c = cmds; c->name; c++) {
		if (c->exact ? strcmp(argv[0], c->name) :
			       !is_prefix(argv[0], c->name))
			continue;
		if ((opt_output || opt_noheadings || opt_raw) && !c->table) {
			p_err("-o, --noheadings and --raw go with list and watch (--noheadings also with mt), not with %s",
			      c->name);
			return FG_EXIT_USAGE;
		}
		if (opt_prometheus && !c->prometheus) {
			p_err("--prometheus goes with list, show, status and mt, not with %s%s",
			      c->name, strcmp(c->name, "metrics") ? "" :
			      " (its file is always Prometheus text)");
			return FG_EXIT_USAGE;
		}
		return c->func(argc - 1, argv + 1);
	}
	if (is_prefix(argv[0], "flush"))
		p_err("'%s': flush removes every policy, so it must be spelled out", argv[0]);
	else
		p_err("unknown command '%s'; see '%s help'", argv[0], prog_name);
	return FG_EXIT_USAGE;
}

static void reset_globals(void)
{
	json_output = false;
	pretty_output = false;
	opt_prometheus = false;
	opt_dry_run = false;
	opt_keep_unmanaged = false;
	opt_take_over = false;
	opt_skip_missing = false;
	opt_pending = false;
	opt_persist = false;
	opt_owner = NULL;
	opt_root = NULL;
	opt_output = NULL;
	opt_noheadings = false;
	opt_raw = false;
	optind = 0;	/* GNU getopt: start over (unit tests call us again) */
}

/* A word that is a value, never an option: "-1" in "set /x burst -1". */
static bool is_negative_number(const char *arg)
{
	return arg[0] == '-' && isdigit((unsigned char)arg[1]);
}

/*
 * Options go anywhere on the line, as with GNU getopt's permutation, but a
 * negative number is an argument, so that "burst -1" reaches the command
 * and is refused with its key, not taken for an option "-1".  getopt stops
 * at each argument ('+'); the arguments are gathered into @args in order,
 * and everything after "--" is one.
 *
 * Return: the next option as getopt_long() does, or -1 at the end.
 */
static int next_option(int argc, char **argv, const struct option *options,
		       char **args, int *nargs)
{
	int opt, at;

	for (;;) {
		at = optind ?: 1;	/* optind 0: getopt starts over at 1 */
		if (at >= argc)
			return -1;
		if (!strcmp(argv[at], "--")) {
			while (++at < argc)
				args[(*nargs)++] = argv[at];
			optind = argc;
			return -1;
		}
		if (optind && is_negative_number(argv[at])) {
			args[(*nargs)++] = argv[optind++];
			continue;
		}
		opt = getopt_long(argc, argv, "+jphVno:r", options, NULL);
		if (opt >= 0)
			return opt;
		if (optind >= argc)
			return -1;
		args[(*nargs)++] = argv[optind++];
	}
}

int fgctl_main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json",		no_argument, NULL, 'j' },
		{ "pretty",		no_argument, NULL, 'p' },
		{ "help",		no_argument, NULL, 'h' },
		{ "version",		no_argument, NULL, 'V' },
		{ "prometheus",		no_argument, NULL, 'P' },
		{ "dry-run",		no_argument, NULL, 'n' },
		{ "keep-unmanaged",	no_argument, NULL, 'k' },
		{ "take-over",		no_argument, NULL, 'T' },
		{ "skip-missing",	no_argument, NULL, 'm' },
		{ "pending",		no_argument, NULL, 'W' },
		{ "persist",		no_argument, NULL, 'S' },
		{ "owner",		required_argument, NULL, 'O' },
		{ "root",		required_argument, NULL, 'R' },
		{ "output",		required_argument, NULL, 'o' },
		{ "noheadings",		no_argument, NULL, 'H' },
		{ "raw",		no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	char **args;
	int opt, ret, nargs;

	reset_globals();
	args = calloc(argc + 1, sizeof(*args));
	if (!args) {
		p_err("out of memory");
		return FG_EXIT_SYSTEM;
	}
	nargs = 0;
	while ((opt = next_option(argc, argv, options, args, &nargs)) >= 0) {
		switch (opt) {
		case 'j':
			json_output = true;
			break;
		case 'p':
			json_output = true;
			pretty_output = true;
			break;
		case 'h':
			print_usage(stdout);
			return FG_EXIT_OK;
		case 'V':
			return do_version(0, NULL);
		case 'P':
			opt_prometheus = true;
			break;
		case 'n':
			opt_dry_run = true;
			break;
		case 'k':
			opt_keep_unmanaged = true;
			break;
		case 'T':
			opt_take_over = true;
			break;
		case 'm':
			opt_skip_missing = true;
			break;
		case 'R':
			opt_root = optarg;
			break;
		case 'o':
			opt_output = optarg;
			break;
		case 'H':
			opt_noheadings = true;
			break;
		case 'r':
			opt_raw = true;
			break;
		case 'W':
			opt_pending = true;
			break;
		case 'S':
			opt_persist = true;
			break;
		case 'O': {
			char label[FG_OWNER_LEN];
			const char *why;

			if (fg_parse_owner(optarg, label, &why)) {
				p_err("--owner '%s': %s", optarg, why);
				return FG_EXIT_USAGE;
			}
			opt_owner = optarg;
			break;
		}
		default:
			usage();
		}
	}
	argc = nargs;
	argv = args;
	if (json_output) {
		json_wtr = jsonw_new(stdout);
		if (!json_wtr) {
			json_output = false;
			p_err("out of memory");
			return FG_EXIT_SYSTEM;
		}
		jsonw_pretty(json_wtr, pretty_output);
	}
	if (json_output && opt_prometheus) {
		p_err("--json and --prometheus exclude each other");
		ret = FG_EXIT_USAGE;
	} else if ((json_output || opt_prometheus) &&
		   (opt_output || opt_noheadings || opt_raw)) {
		p_err("-o, --noheadings and --raw shape the text table, not %s",
		      json_output ? "--json" : "--prometheus");
		ret = FG_EXIT_USAGE;
	} else {
		ret = cmd_select(argc, argv);
	}
	if (json_wtr)
		jsonw_destroy(&json_wtr);
	fflush(stdout);
	free(args);
	return ret;
}
