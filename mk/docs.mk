# SPDX-License-Identifier: GPL-2.0
#
# Documentation.  Included by the top-level Makefile (-include mk/*.mk).
#
#   make docs        Sphinx HTML from Documentation/ into out/docs/html, with
#                    warnings as errors; then the man pages, through
#                    forkgovctl's own target when mk/forkgovctl.mk has one.
#                    Installs python3-sphinx with apt-get if it is missing.
#   make docs-check  the same, and checks that every knob, module parameter,
#                    counter and policy key of module/ is documented; prints
#                    TAP (part of make check through HOST_CHECKS).
#   make docs-clean

DOCS_SRC	:= Documentation
DOCS_OUT	:= out/docs
# Debian packages that provide sphinx-build (with its default theme) and
# rst2man.
DOCS_PKGS	:= python3-sphinx python3-docutils
SPHINXBUILD	?= sphinx-build
SPHINXOPTS	?=
# The man pages belong to forkgovctl (mk/forkgovctl.mk): build them through
# its target if it has one, never with a second rule here.
DOCS_MAN_TARGET	:= $(shell sed -n 's/^\(forkgovctl-man\):.*/\1/p' mk/forkgovctl.mk 2>/dev/null)

HOST_CHECKS	+= docs-check

.PHONY: docs docs-deps docs-html docs-check docs-clean

docs: docs-html $(DOCS_MAN_TARGET)

# Idempotent: with the tools present this only looks them up.
docs-deps:
	@if ! command -v $(SPHINXBUILD) >/dev/null || ! command -v rst2man >/dev/null; then \
		echo "  APT     $(DOCS_PKGS)"; \
		sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
			$(DOCS_PKGS) >/dev/null || exit 1; \
	fi

# -E: a fresh environment every time, so that -W sees the warnings of every
# page, not only of the pages that changed.
docs-html: docs-deps
	@mkdir -p $(DOCS_OUT)
	@echo "  SPHINX  $(DOCS_OUT)/html"
	@$(SPHINXBUILD) -q -E -W --keep-going -b html -d $(DOCS_OUT)/doctrees \
		$(SPHINXOPTS) $(DOCS_SRC) $(DOCS_OUT)/html

docs-check:
	@DOCS_MAN_TARGET="$(DOCS_MAN_TARGET)" MAKE="$(MAKE)" \
		$(DOCS_SRC)/sphinx/docs-check.sh

docs-clean:
	rm -rf $(DOCS_OUT)
