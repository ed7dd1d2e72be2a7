// SPDX-License-Identifier: GPL-2.0
/*
 * hookcost: time a loop of process-creation calls and print the cost of one.
 *
 *   hookcost [-c CGROUP] [-n CALLS] [-r REPEATS] [-j PROCS] MODE
 *
 * MODE is
 *   einval  clone(CLONE_SIGHAND) without CLONE_VM: kernel_clone() fails it
 *           with EINVAL right after a hook on its entry ran (and charged a
 *           token), before any fork work; the cost of the hook alone shows.
 *   fork    fork(), the child _exit()s at once, the parent waits.
 *   vfork   the same with vfork().
 *
 * The process first moves itself into CGROUP (a path below /sys/fs/cgroup).
 * Each repetition times CALLS calls with CLOCK_MONOTONIC; the output is one
 * line per repetition and a summary line:
 *
 *   hookcost mode=einval procs=1 calls=100000 ns_per_call=873.12 min=... med=... einval=... eagain=... other=...
 *
 * Under QEMU with -icount shift=0 one guest nanosecond is one executed
 * instruction, so ns_per_call reads as instructions per call.
 *
 * With -V N, CGROUP is a printf format with one %d: the process enters each
 * of the N cgroups in turn and makes one call from each (for example to
 * create the buckets of a per-child policy), then exits.
 *
 * With -j PROCS, PROCS processes (pinned to CPU i % ncpus) run the loop at
 * the same time after a common start signal; each reports its own time and
 * the summary is their mean.  A CGROUP with a %d then names one cgroup per
 * process (process i enters CGROUP with i for %d).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define MAX_REPEATS	64
#define MAX_PROCS	16

enum mode { M_EINVAL, M_FORK, M_VFORK };

struct shared {
	volatile int go;
	volatile int ready;
	double ns[MAX_PROCS][MAX_REPEATS];
	long einval[MAX_PROCS];
	long eagain[MAX_PROCS];
	long other[MAX_PROCS];
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int enter_cgroup(const char *cg)
{
	char path[4096], pid[32];
	int fd, n;

	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.procs", cg);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (write(fd, pid, n) != n) {
		close(fd);
		return -errno;
	}
	close(fd);
	return 0;
}

static void one_call(enum mode m, struct shared *sh, int id)
{
	pid_t pid;
	long r;

	switch (m) {
	case M_EINVAL:
		r = syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0);
		if (r == 0)
			_exit(0);	/* cannot happen; be safe */
		if (r > 0) {
			waitpid(r, NULL, 0);
			sh->other[id]++;
		} else if (errno == EINVAL) {
			sh->einval[id]++;
		} else if (errno == EAGAIN) {
			sh->eagain[id]++;
		} else {
			sh->other[id]++;
		}
		return;
	case M_FORK:
		pid = fork();
		break;
	default:
		pid = vfork();
		break;
	}
	if (pid == 0)
		_exit(0);
	if (pid < 0) {
		if (errno == EAGAIN)
			sh->eagain[id]++;
		else
			sh->other[id]++;
		return;
	}
	sh->einval[id]++;	/* counts successes in the fork modes */
	waitpid(pid, NULL, 0);
}

static void worker(enum mode m, struct shared *sh, int id, long calls,
		   int repeats)
{
	double t0;
	long i;
	int r;

	for (r = 0; r < repeats; r++) {
		/* A few untimed calls to warm caches and populate buckets. */
		for (i = 0; i < 16; i++)
			one_call(m, sh, id);
		t0 = now_ns();
		for (i = 0; i < calls; i++)
			one_call(m, sh, id);
		sh->ns[id][r] = (now_ns() - t0) / calls;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr, "usage: hookcost [-c CGROUP] [-n CALLS] [-r REPEATS] [-j PROCS] [-V N] einval|fork|vfork\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *cg = NULL, *mname;
	long calls = 100000, einval = 0, eagain = 0, other = 0;
	int repeats = 5, procs = 1, visit = 0, opt, i, r, ncpu;
	double all[MAX_PROCS * MAX_REPEATS], sum = 0;
	struct shared *sh;
	enum mode m;
	pid_t pids[MAX_PROCS];

	while ((opt = getopt(argc, argv, "c:n:r:j:V:")) != -1) {
		switch (opt) {
		case 'V': visit = atoi(optarg); break;
		case 'c': cg = optarg; break;
		case 'n': calls = atol(optarg); break;
		case 'r': repeats = atoi(optarg); break;
		case 'j': procs = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind != argc - 1 || repeats < 1 || repeats > MAX_REPEATS ||
	    procs < 1 || procs > MAX_PROCS || calls < 1)
		usage();
	mname = argv[optind];
	if (!strcmp(mname, "einval"))
		m = M_EINVAL;
	else if (!strcmp(mname, "fork"))
		m = M_FORK;
	else if (!strcmp(mname, "vfork"))
		m = M_VFORK;
	else
		usage();

	if (visit && cg) {
		char path[4096];
		struct shared one;

		memset(&one, 0, sizeof(one));
		for (i = 0; i < visit; i++) {
			snprintf(path, sizeof(path), cg, i);
			r = enter_cgroup(path);
			if (r) {
				fprintf(stderr, "hookcost: cannot enter %s: %s\n", path, strerror(-r));
				return 1;
			}
			one_call(m, &one, 0);
		}
		printf("hookcost visited=%d ok=%ld eagain=%ld other=%ld\n", visit,
		       one.einval[0], one.eagain[0], one.other[0]);
		return 0;
	}
	if (cg && !strchr(cg, '%') && (r = enter_cgroup(cg))) {
		fprintf(stderr, "hookcost: cannot enter %s: %s\n", cg, strerror(-r));
		return 1;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	memset(sh, 0, sizeof(*sh));
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (procs == 1) {
		worker(m, sh, 0, calls, repeats);
	} else {
		for (i = 0; i < procs; i++) {
			pids[i] = fork();
			if (pids[i] < 0)
				return 1;
			if (pids[i] == 0) {
				cpu_set_t set;
				char path[4096];

				if (cg && strchr(cg, '%')) {
					snprintf(path, sizeof(path), cg, i);
					if (enter_cgroup(path))
						_exit(1);
				}
				CPU_ZERO(&set);
				CPU_SET(i % ncpu, &set);
				sched_setaffinity(0, sizeof(set), &set);
				__sync_fetch_and_add(&sh->ready, 1);
				while (!sh->go)
					;
				worker(m, sh, i, calls, repeats);
				_exit(0);
			}
		}
		while (sh->ready < procs)
			usleep(1000);
		sh->go = 1;
		for (i = 0; i < procs; i++)
			waitpid(pids[i], NULL, 0);
	}

	for (i = 0; i < procs; i++) {
		for (r = 0; r < repeats; r++) {
			all[i * repeats + r] = sh->ns[i][r];
			sum += sh->ns[i][r];
			printf("# proc %d rep %d ns_per_call %.2f\n", i, r, sh->ns[i][r]);
		}
		einval += sh->einval[i];
		eagain += sh->eagain[i];
		other += sh->other[i];
	}
	qsort(all, procs * repeats, sizeof(all[0]), cmp_double);
	printf("hookcost mode=%s procs=%d calls=%ld ns_per_call=%.2f min=%.2f med=%.2f max=%.2f ok=%ld eagain=%ld other=%ld\n",
	       mname, procs, calls, sum / (procs * repeats), all[0],
	       all[procs * repeats / 2], all[procs * repeats - 1],
	       einval, eagain, other);
	return other ? 1 : 0;
}
