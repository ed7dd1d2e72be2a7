#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test initramfs (stage 1, busybox only).  Loads the 9p modules,
# mounts the host's root read-only under a tmpfs overlay, mounts the results
# share, and switches root to tools/testing/guest-run.sh (stage 2), which runs
# the test command with the host's own userland.  Any failure powers off: the
# host sees no status file and reports the console log.
/bin/busybox --install -s /bin
export PATH=/bin

fail()
{
	echo "guest-init: $*"
	echo o >/proc/sysrq-trigger
	sleep 10
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

for ko in $(cat /modules.order); do
	insmod "/modules/$ko" || fail "insmod $ko failed"
done

opts=trans=virtio,version=9p2000.L,msize=262144
mkdir -p /lower /rw /newroot
mount -t 9p -o "$opts,ro,cache=loose" hostroot /lower || fail "mount hostroot"
mount -t tmpfs -o mode=0755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work \
	overlay /newroot || fail "mount overlay"

# A fresh /run; /tmp stays the overlay's, because the repository may live there.
mount -t tmpfs -o mode=0755 run /newroot/run
mkdir -p /newroot/run/fg-results
mount -t 9p -o "$opts,cache=none" results /newroot/run/fg-results ||
	fail "mount results"

for d in proc sys dev; do
	mount --move "/$d" "/newroot/$d"
done

repo=$(cat /newroot/run/fg-results/repo)
[ -f "/newroot$repo/tools/testing/guest-run.sh" ] ||
	fail "$repo/tools/testing/guest-run.sh is not visible in the guest"
exec switch_root /newroot /bin/bash "$repo/tools/testing/guest-run.sh"
