// SPDX-License-Identifier: GPL-2.0
/*
 * bombrun: one fork-bomb containment run.
 *
 *   bombrun -b BOMB_CG -p PROBE_CG -o PROBE_LOG [-d SECONDS] [-w SECONDS]
 *           [-k c|idle|exec] [-r] [-T TRACE] [-- COMMAND...]
 *
 * Starts a latency probe in PROBE_CG, lets it run alone for -w seconds (1),
 * then sets off a real fork bomb in BOMB_CG.  -k c (the default): every
 * process, the children too, calls fork() in a tight loop and never exits
 * nor waits; a failed fork is simply retried.  -k exec: the bomb is COMMAND,
 * exec'd in BOMB_CG with stdout and stderr on /dev/null (a bash or Python
 * bomb).  With -r, COMMAND is started first and must print a line on
 * stdout when it is ready (a Python bomb's interpreter start-up takes
 * seconds under TCG and is not part of the bomb), then wait for a line on
 * stdin before it starts; the probe starts after that line.  -k idle: no
 * bomb at all (the probe's baseline).  After -d seconds
 * (4) the bomb is killed with cgroup.kill and the time until BOMB_CG is
 * empty is measured (at most 60 s: then cleanup_ms=-1 and the exit status
 * is 3).  The probe runs -w seconds more.
 *
 * The probe sleeps 10 ms with clock_nanosleep() over and over and records
 * how late each wake-up was; every 100 ms it also fork+execs /bin/true and
 * records how long that took or that it failed.  PROBE_LOG gets one line per
 * sample:
 *
 *   T_SECONDS sleep OVERSHOOT_MS
 *   T_SECONDS spawn LATENCY_MS|fail ERRNO
 *
 * with T relative to the bomb's start.  Printed on stdout, one line:
 *
 *   bombrun attempts=N allowed=N failed=N peak_tasks=N cpu_usec=N
 *           bomb_seconds=S cleanup_ms=MS new_tasks=N probe_forks=N
 *           pids_max_events=N
 *
 * attempts, allowed and failed are the C bomb's own counts (-1 for the
 * others).  new_tasks is the growth of /proc/stat's "processes" (every task
 * created on the machine, threads included) from the bomb's start to its
 * kill, less the probe's forks and bombrun's own one: the bomb's tasks
 * created, whatever the bomb is.  pids_max_events is the growth of
 * BOMB_CG's pids.events "max" (forks refused by pids.max).  cpu_usec is
 * BOMB_CG's cpu.stat usage_usec over the bomb's life.  bombrun makes itself
 * a child subreaper so that it reaps the whole bomb.
 *
 * With -T, TRACE gets a line every 100 ms of the bomb's life, to tell where
 * its CPU went over time:
 *
 *   T_SECONDS usage=USEC user=USEC system=USEC tasks=N attempts=N
 *             allowed=N failed=N [KEY=N ...]
 *
 * the counters as they are at T (cpu.stat of BOMB_CG, pids.current, the C
 * bomb's counts), then the lineage_* and deny_sleep* lines of
 * /proc/forkgov/stats when forkgov is loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "cgroup_util.h"

#define NS_PER_MS	1000000L
#define PROBE_SLEEP_NS	(10 * NS_PER_MS)
#define SPAWN_EVERY	10

struct counters {
	long attempts;
	long allowed;
	long failed;
	long probe_forks;
	volatile int stop_probe;
};

static struct counters *cnt;
static double t_bomb;	/* CLOCK_MONOTONIC of the bomb's start */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void enter(const char *cg)
{
	if (cg_enter_current(cg)) {
		perror("bombrun: enter cgroup");
		_exit(99);
	}
}

static void probe(const char *cg, const char *logpath, double t_end)
{
	struct timespec req = { 0, PROBE_SLEEP_NS };
	char *argv[] = { "/bin/true", NULL }, *envp[] = { NULL };
	double t0, t1;
	unsigned long i;
	FILE *log;
	pid_t pid;
	int st;

	enter(cg);
	log = fopen(logpath, "w");
	if (!log)
		_exit(98);
	for (i = 0; now_s() < t_end && !cnt->stop_probe; i++) {
		t0 = now_s();
		clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
		t1 = now_s();
		fprintf(log, "%.4f sleep %.3f\n", t1 - t_bomb,
			(t1 - t0) * 1e3 - PROBE_SLEEP_NS / 1e6);
		if (i % SPAWN_EVERY)
			continue;
		t0 = now_s();
		__atomic_fetch_add(&cnt->probe_forks, 1, __ATOMIC_RELAXED);
		pid = fork();
		if (pid == 0) {
			execve(argv[0], argv, envp);
			_exit(127);
		}
		if (pid < 0) {
			fprintf(log, "%.4f spawn fail %d\n", t0 - t_bomb, errno);
			continue;
		}
		waitpid(pid, &st, 0);
		t1 = now_s();
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			fprintf(log, "%.4f spawn %.3f\n", t0 - t_bomb, (t1 - t0) * 1e3);
		else
			fprintf(log, "%.4f spawn fail status %d\n", t0 - t_bomb, st);
	}
	fclose(log);
	_exit(0);
}

/* The bomb: every process forks forever; children continue the loop. */
static void bomb(const char *cg)
{
	pid_t pid;

	enter(cg);
	for (;;) {
		__atomic_fetch_add(&cnt->attempts, 1, __ATOMIC_RELAXED);
		pid = fork();
		if (pid > 0)
			__atomic_fetch_add(&cnt->allowed, 1, __ATOMIC_RELAXED);
		else if (pid < 0)
			__atomic_fetch_add(&cnt->failed, 1, __ATOMIC_RELAXED);
	}
}

/*
 * A bomb that is another program: bash or python3.  in/out: the ready
 * handshake's pipe ends for its stdin and stdout, or -1.
 */
static void bomb_exec(const char *cg, char **argv, int in, int out)
{
	int fd = open("/dev/null", O_RDWR);

	enter(cg);
	if (fd >= 0) {
		dup2(in >= 0 ? in : fd, 0);
		dup2(out >= 0 ? out : fd, 1);
		dup2(fd, 2);
	}
	execvp(argv[0], argv);
	_exit(127);
}

/* Wait for the ready line of a -r bomb (at most 300 s). */
static int wait_ready(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c;

	for (;;) {
		if (poll(&pfd, 1, 300000) != 1)
			return -1;
		if (read(fd, &c, 1) != 1)
			return -1;
		if (c == '\n')
			return 0;
	}
}

/* Every task the machine has created since boot (threads included). */
static long total_forks(void)
{
	char line[256];
	long n = -1;
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "processes %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* One line of the -T trace: see the comment at the top. */
static void trace_line(FILE *f, const char *cg, double t)
{
	char line[256], key[64];
	long long v;
	FILE *st;

	fprintf(f, "%.3f usage=%ld user=%ld system=%ld tasks=%ld attempts=%ld allowed=%ld failed=%ld",
		t, cg_read_key(cg, "cpu.stat", "usage_usec"),
		cg_read_key(cg, "cpu.stat", "user_usec"),
		cg_read_key(cg, "cpu.stat", "system_usec"),
		cg_read_long(cg, "pids.current"),
		cnt->attempts, cnt->allowed, cnt->failed);
	st = fopen("/proc/forkgov/stats", "r");
	while (st && fgets(line, sizeof(line), st))
		if (sscanf(line, "%63s %lld", key, &v) == 2 &&
		    (!strncmp(key, "lineage_", 8) ||
		     !strncmp(key, "deny_sleep", 10)))
			fprintf(f, " %s=%lld", key, v);
	if (st)
		fclose(st);
	fputc('\n', f);
}

static void usage(void)
{
	fprintf(stderr, "usage: bombrun -b BOMB_CG -p PROBE_CG -o PROBE_LOG [-d SECONDS] [-w SECONDS] [-k c|idle|exec] [-r] [-T TRACE] [-- COMMAND...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *bcg = NULL, *pcg = NULL, *plog = NULL;
	double dur = 4, warm = 1, t_kill, t_empty, t;
	long cpu0, cpu1, tasks, peak = 0, forks0, forks1, pf0, pf1, pev0, pev1;
	const char *kind = "c", *tpath = NULL;
	FILE *trace = NULL;
	double t_trace = 0;
	int status = 0, ready = 0, go[2] = { -1, -1 }, rd[2] = { -1, -1 };
	struct timespec tick = { 0, 20 * NS_PER_MS };
	pid_t probe_pid, bomb_pid, p;
	int opt;

	while ((opt = getopt(argc, argv, "b:p:o:d:w:k:rT:")) != -1) {
		switch (opt) {
		case 'b': bcg = optarg; break;
		case 'p': pcg = optarg; break;
		case 'o': plog = optarg; break;
		case 'd': dur = atof(optarg); break;
		case 'w': warm = atof(optarg); break;
		case 'k': kind = optarg; break;
		case 'r': ready = 1; break;
		case 'T': tpath = optarg; break;
		default: usage();
		}
	}
	if (!bcg || !pcg || !plog)
		usage();
	if (strcmp(kind, "c") && strcmp(kind, "idle") && strcmp(kind, "exec"))
		usage();
	if (!strcmp(kind, "exec") && optind >= argc)
		usage();
	if (ready && strcmp(kind, "exec"))
		usage();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	cnt = mmap(NULL, sizeof(*cnt), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cnt == MAP_FAILED)
		return 1;

	if (ready) {
		if (pipe(go) || pipe(rd))
			return 1;
		bomb_pid = fork();
		if (bomb_pid == 0) {
			close(go[1]);
			close(rd[0]);
			bomb_exec(bcg, argv + optind, go[0], rd[1]);
		}
		if (bomb_pid < 0)
			return 1;
		close(go[0]);
		close(rd[1]);
		if (wait_ready(rd[0])) {
			fprintf(stderr, "bombrun: %s never said it was ready\n", argv[optind]);
			cg_write(bcg, "cgroup.kill", "1");
			return 4;
		}
		close(rd[0]);
	}

	t_bomb = now_s() + warm;
	probe_pid = fork();
	if (probe_pid == 0)
		probe(pcg, plog, t_bomb + dur + 2 * warm + 5);
	if (probe_pid < 0)
		return 1;
	while (now_s() < t_bomb)
		nanosleep(&tick, NULL);

	if (tpath) {
		trace = fopen(tpath, "w");
		if (!trace)
			perror("bombrun: trace");
	}
	if (trace)
		trace_line(trace, bcg, 0);
	cpu0 = cg_read_key(bcg, "cpu.stat", "usage_usec");
	pev0 = cg_read_key(bcg, "pids.events", "max");
	pf0 = cnt->probe_forks;
	forks0 = total_forks();
	if (ready) {
		if (write(go[1], "go\n", 3) != 3)
			perror("bombrun: start the bomb");
		close(go[1]);
	} else if (strcmp(kind, "idle")) {
		bomb_pid = fork();
		if (bomb_pid == 0) {
			if (!strcmp(kind, "c"))
				bomb(bcg);
			bomb_exec(bcg, argv + optind, -1, -1);
		}
		if (bomb_pid < 0)
			return 1;
	}
	while ((t = now_s()) < t_bomb + dur) {
		nanosleep(&tick, NULL);
		tasks = cg_read_long(bcg, "pids.current");
		if (tasks > peak)
			peak = tasks;
		if (trace && t - t_bomb >= t_trace + 0.1) {
			t_trace = t - t_bomb;
			trace_line(trace, bcg, t_trace);
		}
	}
	if (trace) {
		trace_line(trace, bcg, now_s() - t_bomb);
		fclose(trace);
	}
	cpu1 = cg_read_key(bcg, "cpu.stat", "usage_usec");
	forks1 = total_forks();
	pf1 = cnt->probe_forks;
	pev1 = cg_read_key(bcg, "pids.events", "max");

	t_kill = now_s();
	if (cg_write(bcg, "cgroup.kill", "1"))
		perror("bombrun: cgroup.kill");
	/* Empty means no task left in the cgroup and every one reaped. */
	for (;;) {
		while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
			if (p == probe_pid)
				probe_pid = 0;
		if (cg_read_key(bcg, "cgroup.events", "populated") == 0 &&
		    cg_read_long(bcg, "pids.current") == 0)
			break;
		if (now_s() > t_kill + 60) {
			fprintf(stderr, "bombrun: %s not empty 60 s after cgroup.kill\n", bcg);
			status = 3;
			break;
		}
		usleep(1000);
	}
	t_empty = now_s();

	/* Let the probe see the aftermath, then stop it. */
	while (now_s() < t_empty + warm)
		nanosleep(&tick, NULL);
	cnt->stop_probe = 1;
	if (probe_pid)
		waitpid(probe_pid, NULL, 0);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;

	if (strcmp(kind, "c"))
		cnt->attempts = cnt->allowed = cnt->failed = -1;
	printf("bombrun attempts=%ld allowed=%ld failed=%ld peak_tasks=%ld cpu_usec=%ld bomb_seconds=%.3f kill_at=%.3f cleanup_ms=%.1f new_tasks=%ld probe_forks=%ld pids_max_events=%ld\n",
	       cnt->attempts, cnt->allowed, cnt->failed, peak,
	       cpu1 - cpu0, t_kill - t_bomb, t_kill - t_bomb,
	       status ? -1.0 : (t_empty - t_kill) * 1e3,
	       forks1 - forks0 - (pf1 - pf0) - (strcmp(kind, "idle") && !ready),
	       pf1 - pf0, pev1 - pev0);
	return status;
}
