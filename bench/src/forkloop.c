// SPDX-License-Identifier: GPL-2.0
/*
 * forkloop: a multithreaded process that forks without exec, for the stress
 * run (selftests/stress_short.sh).
 *
 *   forkloop [-c CGROUP] [-i INTO_CGROUP] [-T THREADS] [-t SECONDS]
 *
 * THREADS threads (4) each fork in a loop until SECONDS (10) have passed; the
 * child _exit()s at once without exec (what forkgov's fork-without-exec
 * reporter looks for) and the thread reaps it.  Every fourth fork is a vfork,
 * every eighth a clone3() with CLONE_INTO_CGROUP into INTO_CGROUP when one is
 * given (the cgroup may vanish under churn: its errors are counted, not
 * fatal).  EAGAIN (a forkgov deny) and EINTR/ERESTART are expected and
 * counted.  Anything else, or a child that does not exit 0, is an error.
 *
 * SIGTERM ends the loops early, as the deadline does.
 *
 * Prints: forkloop forks=N eagain=N into=N into_err=N errors=N
 * and exits 1 when errors is not 0 or no fork at all succeeded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static const char *into_cg;
static double deadline;
static volatile sig_atomic_t stop;
static long n_forks, n_eagain, n_into, n_into_err, n_errors;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void count(long *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static pid_t clone_into(void)
{
	struct clone_args args;
	char path[4096];
	pid_t pid;
	int fd;

	snprintf(path, sizeof(path), "/sys/fs/cgroup%s", into_cg);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = fd;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0)
		_exit(0);
	close(fd);
	return pid;
}

/* Out of line, so that nothing of the caller's frame is live across vfork. */
static __attribute__((noinline)) pid_t spawn(int use_vfork)
{
	pid_t pid = use_vfork ? vfork() : fork();

	if (pid == 0)
		_exit(0);
	return pid;
}

static void *thread_fn(void *arg)
{
	unsigned long i;
	pid_t pid;
	int st;

	for (i = (uintptr_t)arg; !stop && now_s() < deadline; i++) {
		if (into_cg && i % 8 == 7) {
			pid = clone_into();
			if (pid < 0) {
				count(errno == EAGAIN ? &n_eagain : &n_into_err);
				continue;
			}
			count(&n_into);
		} else {
			pid = spawn(i % 4 == 3);
			if (pid < 0) {
				if (errno == EAGAIN || errno == EINTR)
					count(&n_eagain);
				else
					count(&n_errors);
				continue;
			}
		}
		count(&n_forks);
		if (waitpid(pid, &st, __WALL) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			count(&n_errors);
	}
	return NULL;
}

static int enter(const char *cg)
{
	char path[4096], pid[32];
	int fd, n, err = 0;

	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.procs", cg);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (write(fd, pid, n) != n)
		err = -1;
	close(fd);
	return err;
}

static void on_term(int sig)
{
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };
	int threads = 4, opt, i, err;
	const char *cg = NULL;
	pthread_t tid[64];
	double secs = 10;

	while ((opt = getopt(argc, argv, "c:i:T:t:")) != -1) {
		switch (opt) {
		case 'c': cg = optarg; break;
		case 'i': into_cg = optarg; break;
		case 'T': threads = atoi(optarg); break;
		case 't': secs = atof(optarg); break;
		default:
			fprintf(stderr, "usage: forkloop [-c CGROUP] [-i INTO_CGROUP] [-T THREADS] [-t SECONDS]\n");
			return 2;
		}
	}
	if (threads < 1 || threads > 64)
		return 2;
	if (cg && enter(cg)) {
		perror("forkloop: enter cgroup");
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	deadline = now_s() + secs;
	/*
	 * A count=tasks policy may refuse threads too (EAGAIN): retry until
	 * the deadline, as the forks are retried.
	 */
	for (i = 0; i < threads; i++) {
		while ((err = pthread_create(&tid[i], NULL, thread_fn,
					     (void *)(uintptr_t)i))) {
			if (err != EAGAIN || stop || now_s() >= deadline) {
				fprintf(stderr, "forkloop: pthread_create: %s\n", strerror(err));
				return 1;
			}
			count(&n_eagain);
			usleep(10000);
		}
	}
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	printf("forkloop forks=%ld eagain=%ld into=%ld into_err=%ld errors=%ld\n",
	       n_forks, n_eagain, n_into, n_into_err, n_errors);
	return n_errors || !n_forks;
}
