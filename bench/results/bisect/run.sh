#!/bin/bash
# bisect the fast-path cost over module builds in one icount boot
cd /work/main
mkdir -p /sys/fs/cgroup/b1 /sys/fs/cgroup/other /sys/fs/cgroup/nm
GEN='rate=1000000 burst=1000000'
for c in "$@"; do
	insmod out/bench/bisect/$c/forkgov.ko || exit 1
	echo "set /other $GEN" > /proc/forkgov/policies
	n=$(build/bench/hookcost -c /nm -n 100000 -r 3 einval | tail -1 | sed 's/.* med=\([0-9.]*\).*/\1/')
	echo "set /b1 $GEN" > /proc/forkgov/policies
	m=$(build/bench/hookcost -c /b1 -n 100000 -r 3 einval | tail -1 | sed 's/.* med=\([0-9.]*\).*/\1/')
	echo "$c nomatch-d1 $n match-d1 $m"
	echo flush > /proc/forkgov/policies
	rmmod forkgov
done
