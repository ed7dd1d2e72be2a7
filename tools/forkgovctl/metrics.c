// SPDX-License-Identifier: GPL-2.0
/*
 * metrics FILE: the Prometheus text of "list --prometheus", written for
 * node_exporter's textfile collector the way it wants it: to a temporary
 * file in the same directory, then renamed over FILE, so that the collector
 * never reads half a file.  Every file has forkgov_up: 1 when the table and
 * the counters were read, 0 when the module is absent or could not be read,
 * so that a file left from before the module went away never looks healthy.
 *
 * packaging/systemd/forkgov-metrics.timer runs it every 15 s.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forkgovctl.h"

/* Write the file's text to @f; return the exit status to report. */
static int metrics_text(FILE *f)
{
	struct fg_stats s = { 0 };
	struct stat st;
	struct fg_table t;
	char path[FG_PATH_MAX];
	int ret;

	/* Absent is a state to report, not an error: no message for it. */
	snprintf(path, sizeof(path), "%s/policies", fg_proc_dir());
	if (stat(path, &st)) {
		fg_print_prom_up(f, false);
		return FG_EXIT_OK;
	}
	ret = fg_read_table(&t);
	if (ret) {
		fg_print_prom_up(f, false);
		return ret;
	}
	ret = fg_read_stats(&s);
	fg_print_prom_up(f, !ret);
	if (!ret)
		fg_print_prometheus(&t, &s, NULL, f);
	fg_stats_free(&s);
	fg_table_free(&t);
	return ret;
}

int do_metrics(int argc, char **argv)
{
	char tmp[FG_PATH_MAX + 32];
	int fd, ret, err = 0;
	FILE *f;

	if (argc != 1 || json_output || opt_prometheus) {
		p_err("metrics takes one FILE, the .prom file to write (for example /var/lib/prometheus/node-exporter/forkgov.prom), and no -j or --prometheus");
		return FG_EXIT_USAGE;
	}
	if (strlen(argv[0]) >= FG_PATH_MAX) {
		p_err("metrics: the file name is too long");
		return FG_EXIT_USAGE;
	}
	/* Not *.prom: the collector skips it until it is complete. */
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", argv[0], (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		err = errno;
		if (fd >= 0)
			close(fd);
		p_err_errno(err, "metrics: cannot create %s", tmp);
		return FG_EXIT_SYSTEM;
	}
	ret = metrics_text(f);
	if (fflush(f) || fsync(fileno(f)))
		err = errno;
	if (fclose(f) && !err)
		err = errno;
	if (!err && rename(tmp, argv[0]))
		err = errno;
	if (err) {
		unlink(tmp);
		p_err_errno(err, "metrics: cannot write %s", argv[0]);
		return FG_EXIT_SYSTEM;
	}
	return ret;
}
