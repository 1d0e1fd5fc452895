# Make entry points for those who expect them; each calls one script (docs/operations.md, "Installing rbx").
#   make install [PREFIX=/usr/local] [DESTDIR=]   scripts/install: static release build, completions, man, unit
#   make package                                  scripts/package: dist/rbx_VERSION_ARCH.deb
#   make test                                     scripts/test: the whole test suite (what CI runs)
#   make test-package                             scripts/test-package: the .deb on a bare Debian 12 (root)
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: install package test test-package

install:
	DESTDIR="$(DESTDIR)" scripts/install --prefix "$(PREFIX)"

package:
	scripts/package

test:
	scripts/test

test-package: package
	scripts/test-package
