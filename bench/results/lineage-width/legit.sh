#!/bin/bash
# Legit workloads with the lineage defaults, log mode: nothing may be charged.
KO=$1
insmod $KO lineage=1
st() { awk -v k="$1" '$1 == k { print $2 }' /proc/forkgov/stats; }
W=/tmp/lw; mkdir -p $W
cp -r /root/.pyenv/plugins/pyenv-doctor $W/ac0; for i in 1 2 3 4; do cp -r /root/.pyenv/plugins/pyenv-doctor $W/ac$i; done
run() {
  local name=$1; shift
  local c0=$(st lineage_charged) s0=$(st lineage_sieges)
  (cd $W && timeout 600 "$@") >/dev/null 2>&1
  echo "$name status=$? charged=$(( $(st lineage_charged) - c0 )) sieges=$(( $(st lineage_sieges) - s0 )) peak_wide=$(st lineage_peak_wide) peak_root_wide=$(st lineage_peak_root_wide) max_depth=$(st lineage_max_depth)"
}
run autoconf sh -c 'cd ac0 && ./configure'
run autoconf-x4 sh -c 'for i in 1 2 3 4; do (cd ac$i && ./configure) & done; wait'
run dkms dkms status
run nested6 bash -c 'f() { (echo a | (cat | (read x; echo "$x$(echo b | cat)"))); }; for j in 1 2 3 4; do for i in 1 2 3 4 5 6; do (f | cat) & done; wait; done'
run stress-ng-clone8 stress-ng --clone 8 --timeout 10s
run stress-ng-fork8 stress-ng --fork 8 --timeout 10s
run py-pool /root/.pyenv/versions/3.11.7/bin/python3 -c '
import multiprocessing as mp
mp.set_start_method("fork")
def f(x):
    import subprocess; subprocess.run(["true"]); return x*x
with mp.Pool(16) as p: print(sum(p.map(f, range(200))))'
run make-j8 make -j8 -C /work/main/tools/forkgovctl -f /dev/null -p
rmmod forkgov
