# SPDX-License-Identifier: GPL-2.0
#
# TAP for shell selftests: source it, call `ok STATUS DESCRIPTION` once per
# test (STATUS 0 passes), and `exit $failed` at the end.

n=0
failed=0

ok()
{
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=1
	fi
}
