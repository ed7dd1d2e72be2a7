# SPDX-License-Identifier: GPL-2.0
#
# forkgovctl, its tests, man pages and packaging.  Included by the top-level
# Makefile (-include mk/*.mk); also usable alone: make -f mk/forkgovctl.mk.
#
#   make forkgovctl            build build/forkgovctl/forkgovctl
#   make forkgovctl-unit       userspace unit tests (TAP), in HOST_CHECKS
#   make forkgovctl-style      checkpatch --strict over the tool's C files
#   make forkgovctl-man        forkgovctl.8, forkgov.7 and forkgov.d.5 from reST (rst2man)
#   make install-forkgovctl    tool, man pages, completion, systemd units,
#                              modules-load.d, examples, OCI hook config
#                              (DESTDIR, PREFIX honoured)
#   make dkms-src              the module's DKMS source tree, under
#                              $(DESTDIR)/usr/src/forkgov-<version>
#   make dkms-install          register, build and install the module with DKMS
#   make forkgovctl-dkms-check dkms build in a private tree (TAP)
#   make forkgovctl-clean

FGCTL_SRC	:= tools/forkgovctl
FGCTL_OUT	:= build/forkgovctl
FGCTL_LIB_SRCS	:= main.c params.c table.c cgroup.c kernel.c config.c diff.c state.c \
		   output.c cmd.c watch.c json_writer.c json_reader.c oci_hook.c \
		   oci_conf.c metrics.c mt.c
# The policy grammar and the pod layout are the kernel's: module/parse.c and
# module/k8s.c, built with the stand-in kernel headers of tools/include.
FGCTL_LIB	:= $(addprefix $(FGCTL_SRC)/,$(FGCTL_LIB_SRCS)) module/parse.c \
		   module/k8s.c
FGCTL_HDRS	:= $(wildcard $(FGCTL_SRC)/*.h) module/parse.h module/k8s.h module/bucket.h \
		   module/forkgov.h $(wildcard tools/include/linux/*.h)
FGCTL_BIN	:= $(FGCTL_OUT)/forkgovctl
FGCTL_UNIT	:= $(FGCTL_OUT)/unit_test $(FGCTL_OUT)/sec_test
FGCTL_CFLAGS	?= -std=gnu11 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration
FGCTL_CPPFLAGS	:= -I tools/include -I module
FGCTL_LDLIBS	:= -lm
# kselftest_harness.h itself trips these under -Wextra
FGCTL_UNIT_CFLAGS := -Wno-sign-compare -Wno-unused-parameter -Wno-clobbered \
		     -Wno-missing-field-initializers
FGCTL_VERSION	:= $(shell sed -n 's/^\#define FGCTL_VERSION[[:space:]]*"\(.*\)"/\1/p' $(FGCTL_SRC)/forkgovctl.h)
FGCTL_MOD_VERSION := $(shell sed -n 's/^\#define FORKGOV_VERSION[[:space:]]*"\(.*\)"/\1/p' module/forkgov.h)
FGCTL_MAN_OUT	:= build/man
FGCTL_MANS	:= $(FGCTL_MAN_OUT)/forkgovctl.8 $(FGCTL_MAN_OUT)/forkgov.7 \
		   $(FGCTL_MAN_OUT)/forkgov.d.5

PREFIX		?= /usr
SBINDIR		?= $(PREFIX)/sbin
MANDIR		?= $(PREFIX)/share/man
UNITDIR		?= $(PREFIX)/lib/systemd/system
MODULESLOADDIR	?= $(PREFIX)/lib/modules-load.d
COMPLETIONDIR	?= $(PREFIX)/share/bash-completion/completions
HOOKSDIR	?= $(PREFIX)/share/containers/oci/hooks.d
DOCDIR		?= $(PREFIX)/share/doc/forkgov
SYSCONFDIR	?= /etc
DKMS_KVER	?= 6.12.111+deb12-amd64

HOST_CHECKS	+= forkgovctl-unit forkgovctl-dkms-check

.PHONY: forkgovctl forkgovctl-unit forkgovctl-style forkgovctl-man \
	install-forkgovctl dkms-src dkms-install forkgovctl-dkms-check forkgovctl-clean

forkgovctl: $(FGCTL_BIN)

$(FGCTL_BIN): $(FGCTL_LIB) $(FGCTL_SRC)/forkgovctl.c $(FGCTL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(FGCTL_CFLAGS) $(CFLAGS) $(CPPFLAGS) $(FGCTL_CPPFLAGS) $(LDFLAGS) \
		-o $@ $(FGCTL_LIB) $(FGCTL_SRC)/forkgovctl.c $(FGCTL_LDLIBS)

# kselftest_harness.h comes from linux-source, through the harness's cache
# when there is one (tools/testing/kernel-src.sh), else from our own.
FGCTL_KSFT_CACHE := $(or $(FORKGOV_CACHE),$(HOME)/.cache/forkgov)/fgctl-ksft

$(FGCTL_OUT)/%_test: $(FGCTL_LIB) $(FGCTL_SRC)/tests/%_test.c $(FGCTL_HDRS)
	@mkdir -p $(@D)
	@if [ -x tools/testing/kernel-src.sh ]; then \
		ksft=$$(tools/testing/kernel-src.sh)/tools/testing/selftests; \
	else \
		ksft=$(FGCTL_KSFT_CACHE)/linux-source-6.12/tools/testing/selftests; \
		[ -f $$ksft/kselftest_harness.h ] || { mkdir -p $(FGCTL_KSFT_CACHE) && \
		tar -xJf /usr/src/linux-source-6.12.tar.xz -C $(FGCTL_KSFT_CACHE) \
			linux-source-6.12/tools/testing/selftests/kselftest.h \
			linux-source-6.12/tools/testing/selftests/kselftest_harness.h; }; \
	fi; \
	echo "  CC      $@"; \
	$(CC) $(FGCTL_CFLAGS) $(FGCTL_UNIT_CFLAGS) $(FGCTL_CPPFLAGS) -I$$ksft -I$(FGCTL_SRC) \
		-o $@ $(FGCTL_LIB) \
		$(FGCTL_SRC)/tests/$(@F).c $(FGCTL_LDLIBS)

forkgovctl-unit: $(FGCTL_UNIT) $(FGCTL_BIN)
	@for t in $(FGCTL_UNIT); do FGCTL_BIN=$(CURDIR)/$(FGCTL_BIN) $$t || exit 1; done
	@FGCTL_BIN=$(CURDIR)/$(FGCTL_BIN) $(FGCTL_SRC)/tests/cli_test.sh

# One word: a backslash-newline in a make variable leaves a blank, and a
# blank would end --ignore and make the rest file names.
FGCTL_CHECKPATCH_IGNORE := BIT_MACRO,PREFER_DEFINED_ATTRIBUTE_MACRO,PREFER_KERNEL_TYPES
FGCTL_CHECKPATCH_IGNORE := $(FGCTL_CHECKPATCH_IGNORE),PREFER_FALLTHROUGH,SSCANF_TO_KSTRTO
FGCTL_CHECKPATCH_IGNORE := $(FGCTL_CHECKPATCH_IGNORE),VOLATILE,NEW_TYPEDEFS,CAMELCASE
FGCTL_CHECKPATCH_IGNORE := $(FGCTL_CHECKPATCH_IGNORE),SPDX_LICENSE_TAG

forkgovctl-style:
	@src=$$(tools/testing/kernel-src.sh 2>/dev/null || echo $(FGCTL_KSFT_CACHE)/linux-source-6.12); \
	$$src/scripts/checkpatch.pl --no-tree --strict --terse --show-types \
		--ignore $(FGCTL_CHECKPATCH_IGNORE) \
		-f $(FGCTL_SRC)/*.[ch] $(FGCTL_SRC)/tests/*.c selftests/forkgovctl_*.c 2>/dev/null \
		| grep -v '^total:' ; true

$(FGCTL_MAN_OUT)/%: Documentation/man/%.rst
	@mkdir -p $(@D)
	@command -v rst2man >/dev/null || { echo "rst2man missing: apt-get install python3-docutils" >&2; exit 1; }
	rst2man --halt=warning $< $@

forkgovctl-man: $(FGCTL_MANS)

install-forkgovctl: $(FGCTL_BIN) $(FGCTL_MANS)
	install -D -m 0755 $(FGCTL_BIN) $(DESTDIR)$(SBINDIR)/forkgovctl
	install -D -m 0644 $(FGCTL_MAN_OUT)/forkgovctl.8 $(DESTDIR)$(MANDIR)/man8/forkgovctl.8
	install -D -m 0644 $(FGCTL_MAN_OUT)/forkgov.7 $(DESTDIR)$(MANDIR)/man7/forkgov.7
	install -D -m 0644 $(FGCTL_MAN_OUT)/forkgov.d.5 $(DESTDIR)$(MANDIR)/man5/forkgov.d.5
	install -D -m 0644 packaging/bash-completion/forkgovctl $(DESTDIR)$(COMPLETIONDIR)/forkgovctl
	sed 's|@SBINDIR@|$(SBINDIR)|g' packaging/systemd/forkgov.service \
		| install -D -m 0644 /dev/stdin $(DESTDIR)$(UNITDIR)/forkgov.service
	sed 's|@SBINDIR@|$(SBINDIR)|g' packaging/systemd/forkgov-metrics.service \
		| install -D -m 0644 /dev/stdin $(DESTDIR)$(UNITDIR)/forkgov-metrics.service
	install -D -m 0644 packaging/systemd/forkgov-metrics.timer $(DESTDIR)$(UNITDIR)/forkgov-metrics.timer
	install -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/forkgov.d
	install -D -m 0644 packaging/forkgov.d/example.conf $(DESTDIR)$(SYSCONFDIR)/forkgov.d/example.conf.sample
	install -D -m 0644 packaging/forkgov.d/example.conf $(DESTDIR)$(DOCDIR)/examples/forkgov.d/example.conf
	install -D -m 0644 packaging/forkgov.d/kubernetes.conf $(DESTDIR)$(DOCDIR)/examples/forkgov.d/kubernetes.conf
	install -D -m 0644 packaging/modules-load.d/forkgov.conf $(DESTDIR)$(MODULESLOADDIR)/forkgov.conf
	install -D -m 0644 packaging/sysctl.d/60-forkgov.conf $(DESTDIR)$(DOCDIR)/examples/sysctl.d/60-forkgov.conf
	install -D -m 0644 packaging/oci/oci-hook.conf $(DESTDIR)$(DOCDIR)/examples/oci-hook.conf
	sed 's|@SBINDIR@|$(SBINDIR)|g' packaging/oci/forkgov-hook.json \
		| install -D -m 0644 /dev/stdin $(DESTDIR)$(HOOKSDIR)/forkgov.json

# DKMS: the module's sources (Kbuild and module/) under /usr/src.
FGCTL_DKMS_SRC = $(DESTDIR)/usr/src/forkgov-$(FGCTL_MOD_VERSION)

define fgctl_dkms_tree
	rm -rf $(1) && install -d $(1)/module
	install -m 0644 Kbuild $(1)/Kbuild
	install -m 0644 module/*.c module/*.h $(1)/module/
	sed 's/@VERSION@/$(FGCTL_MOD_VERSION)/' packaging/dkms/dkms.conf > $(1)/dkms.conf
endef

dkms-src:
	$(call fgctl_dkms_tree,$(FGCTL_DKMS_SRC))

dkms-install: dkms-src
	dkms remove -m forkgov -v $(FGCTL_MOD_VERSION) --all 2>/dev/null || true
	dkms add -m forkgov -v $(FGCTL_MOD_VERSION)
	dkms build -m forkgov -v $(FGCTL_MOD_VERSION)
	dkms install -m forkgov -v $(FGCTL_MOD_VERSION)

# dkms build against the installed headers in a throwaway tree; TAP.
# Skipped when dkms or the headers are missing.  Like any dkms build on
# Debian, the first one creates a module signing key in /var/lib/dkms.
forkgovctl-dkms-check:
	@$(FGCTL_SRC)/tests/dkms_check.sh "$(FGCTL_MOD_VERSION)" "$(DKMS_KVER)"

forkgovctl-clean:
	rm -rf $(FGCTL_OUT) $(FGCTL_MAN_OUT)
