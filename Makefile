# SPDX-License-Identifier: GPL-2.0
#
# forkgov user targets.  Kbuild lists the objects; this file drives kbuild and
# the test harness in tools/testing/.  Other parts of the tree add their own
# targets in mk/*.mk, and host-side test targets to HOST_CHECKS (each prints
# TAP, which make check counts).
#
#   make                 build forkgov.ko against KDIR
#   make install         install it into /lib/modules/<KDIR's version>/updates
#   make deps            install the build and test dependencies (apt-get)
#   make matrix          build against every matrix kernel, W=1, no warnings
#   make style           checkpatch --strict and kernel-doc
#   make sparse          sparse (C=2) against every matrix kernel
#   make unit            build and run the userspace unit tests
#   make selftests       build the kernel selftests (run them with make vm)
#   make vm CMD='...'    run CMD in a guest with forkgov loaded (KVER=6.12)
#   make demo            the demonstration, in the 6.12 guest
#   make check           all of the above on every matrix kernel
#   make clean

T := tools/testing
KVER ?= 6.12
KDIR ?= $(or $(wildcard /lib/modules/$(shell uname -r)/build),\
	     /usr/src/linux-headers-$(shell $(T)/kver.sh 6.12 2>/dev/null))
HOST_CHECKS :=
CMD ?= true

export KVER CMD NOLOAD VM_TIMEOUT

.DEFAULT_GOAL := all
.PHONY: all modules install deps ksrc matrix style sparse unit selftests \
	vm demo check clean

all: modules

-include mk/*.mk

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) \
		$$(cat $(KDIR)/include/config/kernel.release)

deps:
	@$(T)/deps.sh

# checkpatch.pl, kernel-doc and the kselftest headers, from linux-source.
ksrc: deps
	@$(T)/kernel-src.sh >/dev/null

matrix:
	@$(T)/build.sh

sparse:
	@$(T)/build.sh -s

style: ksrc
	@$(T)/style.sh

unit: ksrc
	@$(MAKE) -s -C selftests KSELFTEST_DIR=$$($(T)/kernel-src.sh)/tools/testing/selftests run-unit

selftests: ksrc
	@$(MAKE) -s -C selftests KSELFTEST_DIR=$$($(T)/kernel-src.sh)/tools/testing/selftests

vm:
	@$(T)/build.sh $(KVER) >/dev/null || $(T)/build.sh $(KVER)
	@$(T)/vm.sh -k $(KVER) -- "$$CMD"

demo: deps
	@if [ -x tools/demo/demo.sh ]; then \
		$(T)/build.sh 6.12 >/dev/null || $(T)/build.sh 6.12 || exit 1; \
		$(T)/vm.sh -k 6.12 -t 900 -- tools/demo/demo.sh; \
	else \
		echo "make demo: tools/demo/demo.sh does not exist yet"; exit 1; \
	fi

check:
	@HOST_CHECKS="$(HOST_CHECKS)" $(T)/check.sh

clean:
	rm -rf build out
	rm -f *.o *.ko *.mod *.mod.c .*.cmd module/*.o module/.*.cmd \
	      Module.symvers modules.order .module-common.o
