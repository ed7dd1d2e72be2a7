# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel (issue 8).  Included by the top-level Makefile
# (-include mk/*.mk).
#
#   make debug-kernel        build it when it is missing (KASAN, lockdep,
#                            kmemleak...: tools/testing/debug.config; 10 to
#                            25 min on 2 cores, cached in $FORKGOV_CACHE),
#                            then forkgov against it, W=1
#   make vm KVER=6.12-debug CMD='...'
#                            run a command on it (timeouts scaled by
#                            DEBUG_TIMEOUT_SCALE, default 3)
#   make check               runs the suite on 6.12-debug too, the matrix's
#                            fourth entry; CHECK_DEBUG=0 leaves it out

.PHONY: debug-kernel

debug-kernel: deps
	@tools/testing/debug-kernel.sh --tap
	@tools/testing/build.sh 6.12-debug
