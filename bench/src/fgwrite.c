// SPDX-License-Identifier: GPL-2.0
/*
 * fgwrite: copy standard input to FILE in one write(2), as forkgov's policy
 * table needs (a write is one transaction and must end on a line boundary;
 * cat and shell builtins may split it).
 *
 *   fgwrite [FILE] < lines         (FILE defaults to /proc/forkgov/policies)
 *
 * Exits 0 on success, 1 with the errno's name on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/proc/forkgov/policies";
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	ssize_t n;
	int fd;

	if (!buf)
		return 1;
	while ((n = read(0, buf + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				return 1;
		}
	}
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
		fprintf(stderr, "fgwrite: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}
