# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages of debian/ (forkgov-dkms, forkgovctl).  Included by
# the top-level Makefile (-include mk/*.mk).
#
#   make deb         dpkg-buildpackage -us -uc -b in a copy of the tree, then
#                    lintian on both .debs (TAP; in make check through
#                    HOST_CHECKS); the .debs are left in build/deb/
#   make deb-guest   install them in a KVER guest (default 6.12), let DKMS
#                    build the module for its kernel, load it, apply
#                    /etc/forkgov.d with forkgov.service's ExecStart=, then
#                    purge and check that nothing is left (TAP).  Not in
#                    make check: DKMS compiling under TCG makes it too slow
#                    for CI's budget (README.md, "On a real host": dpkg -i
#                    alone took 25 min on a loaded 2-core machine).

HOST_CHECKS	+= deb

.PHONY: deb deb-guest

deb:
	@tools/testing/deps.sh
	@tools/testing/deb.sh

deb-guest: deb
	@tools/testing/vm.sh -n -k $(KVER) -t 3600 -- tools/testing/deb-guest.sh build/deb
