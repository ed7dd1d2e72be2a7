#!/bin/bash
KO=$1
insmod $KO lineage=1 lineage_threshold=1000000 lineage_width=0 lineage_root_width=0
K=/proc/sys/kernel/forkgov
st() { awk -v k="$1" '$1 == k { print $2 }' /proc/forkgov/stats; }
S='f() { (echo a | (cat | (read x; echo "$x$(echo b | cat)"))); }; for j in 1 2 3 4; do for i in 1 2 3 4 5 6; do (f | cat) & done; wait; done'
for wd in 3 4 5; do
  echo 2 > $K/lineage_root_depth; echo $wd > $K/lineage_root_depth
  bash -c "$S" >/dev/null
  echo "nested6 rdepth=$wd peak_root=$(st lineage_peak_root_wide) maxdepth=$(st lineage_max_depth)"
done
cp -r /root/.pyenv/plugins/pyenv-doctor /tmp/ac
for wd in 3 4; do
  echo 2 > $K/lineage_root_depth; echo $wd > $K/lineage_root_depth
  (cd /tmp/ac && ./configure >/dev/null 2>&1)
  echo "autoconf rdepth=$wd peak_root=$(st lineage_peak_root_wide)"
  echo 2 > $K/lineage_root_depth; echo $wd > $K/lineage_root_depth
  stress-ng --clone 8 --timeout 10s >/dev/null 2>&1
  echo "stress-ng-clone8 rdepth=$wd peak_root=$(st lineage_peak_root_wide)"
  echo 2 > $K/lineage_root_depth; echo $wd > $K/lineage_root_depth
  dkms status >/dev/null 2>&1
  echo "dkms rdepth=$wd peak_root=$(st lineage_peak_root_wide)"
done
# bombs: forks until root-hot at 4, log mode; count lineage_sieges
echo 1 > $K/lineage_root_width; echo 12 > $K/lineage_root_width; echo 4 > $K/lineage_root_depth
grep -E "lineage_(sieges|peak)" /proc/forkgov/stats
rmmod forkgov
dmesg | grep -i "forkgov\|lineage" | tail -5
