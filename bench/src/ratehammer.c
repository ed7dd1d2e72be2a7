// SPDX-License-Identifier: GPL-2.0
/*
 * ratehammer: attempt process creation as fast as possible for T seconds and
 * count what a forkgov deny policy let through.
 *
 *   ratehammer [-c CGROUP] [-t SECONDS] [-m einval|fork]
 *
 * einval (default): clone(CLONE_SIGHAND) without CLONE_VM; forkgov's hook
 * charges a token and kernel_clone() then fails with EINVAL, or the hook
 * denies it with EAGAIN.  So EINVAL counts allowed forks, cheaply enough to
 * offer far more attempts per second than any rate under test.
 * fork: real fork() + _exit + wait; successes count.
 *
 * Prints: ratehammer mode=einval seconds=3.000 attempts=N ok=N eagain=N other=N
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int enter_cgroup(const char *cg)
{
	char path[4096], pid[32];
	int fd, n, err = 0;

	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/cgroup.procs", cg);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (write(fd, pid, n) != n)
		err = -errno;
	close(fd);
	return err;
}

int main(int argc, char **argv)
{
	long attempts = 0, ok = 0, eagain = 0, other = 0, r;
	const char *cg = NULL, *mode = "einval";
	double t = 3, t0, t1;
	int opt;

	while ((opt = getopt(argc, argv, "c:t:m:")) != -1) {
		switch (opt) {
		case 'c': cg = optarg; break;
		case 't': t = atof(optarg); break;
		case 'm': mode = optarg; break;
		default:
			fprintf(stderr, "usage: ratehammer [-c CGROUP] [-t SECONDS] [-m einval|fork]\n");
			return 2;
		}
	}
	if (cg && enter_cgroup(cg)) {
		perror("ratehammer: cgroup");
		return 1;
	}
	t0 = now_s();
	do {
		attempts++;
		if (!strcmp(mode, "fork")) {
			r = fork();
			if (r == 0)
				_exit(0);
			if (r > 0) {
				ok++;
				waitpid(r, NULL, 0);
			} else if (errno == EAGAIN) {
				eagain++;
			} else {
				other++;
			}
		} else {
			r = syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0);
			if (r == 0)
				_exit(0);
			if (r > 0) {
				other++;
				waitpid(r, NULL, 0);
			} else if (errno == EINVAL) {
				ok++;
			} else if (errno == EAGAIN) {
				eagain++;
			} else {
				other++;
			}
		}
		t1 = now_s();
	} while (t1 - t0 < t);
	printf("ratehammer mode=%s seconds=%.4f attempts=%ld ok=%ld eagain=%ld other=%ld\n",
	       mode, t1 - t0, attempts, ok, eagain, other);
	return other ? 1 : 0;
}
