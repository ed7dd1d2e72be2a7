// SPDX-License-Identifier: GPL-2.0
/*
 * Responsiveness probe for the demonstration: starts /bin/true (fork, exec,
 * wait), pauses 100 ms, and so on for the given number of seconds; prints,
 * about once a second, the median and worst time a start took.
 *
 * usage: probe SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double spawn_true(void)
{
	double start = now_ms();
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	return now_ms() - start;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 10, start = now_ms(), t;
	double lat[64], next = start + 1000;
	int n = 0;

	while (now_ms() - start < secs * 1000) {
		t = spawn_true();
		if (t >= 0 && n < 64)
			lat[n++] = t;
		usleep(100000);
		if (now_ms() < next)
			continue;
		qsort(lat, n, sizeof(lat[0]), cmp);
		if (n)
			printf("  probe  t=%5.1fs  start /bin/true: %s %6.1f ms, %s %6.1f ms\n",
			       (now_ms() - start) / 1000, "median", lat[n / 2],
			       "worst", lat[n - 1]);
		else
			printf("  probe  t=%5.1fs  could not start a process\n",
			       (now_ms() - start) / 1000);
		fflush(stdout);
		n = 0;
		next = now_ms() + 1000;
	}
	return 0;
}
