#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Resolve a kernel alias (6.1, 6.12, 6.12-rt) or version to the installed
# version the harness uses; with no argument, list the whole matrix.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [[ $# -eq 0 ]]; then
	fg_matrix_kvers
else
	fg_kver "$1"
fi
