# virtfed — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libvirt-dev libvirt-clients libvirt-daemon libcurl4-openssl-dev libxml2-dev libssl-dev \
                pkg-config python3-libvirt python3-venv hyperfine sasl2-bin libsasl2-modules iproute2 openssl curl libxml2-utils \
                prometheus python3-prometheus-client prometheus-libvirt-exporter \
                dpkg-dev lintian man-db systemd libsqlite3-dev sqlite3 \
                libvirt-daemon-driver-qemu qemu-system-x86 seabios \
                libkrb5-dev gss-ntlmssp krb5-kdc krb5-admin-server krb5-user python3-gssapi python3-dev \
                postgresql postgresql-client
# virt-manager under Xvfb for `make test-gui` (kept out of `make test`: large, and slow to install).
GUI_PACKAGES := virt-manager xvfb imagemagick xdotool
BIN_DIR = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)
# The simulators (virtfed-sim, Hyper-V and SCVMM) are their own package in simulators/.
SIM_BIN_DIR = $(shell $(SWIFT) build --package-path simulators --show-bin-path 2>/dev/null)
# What `make install` and `make deb` ship: release builds with the Swift runtime linked in.
RELEASE_BIN_DIR = $(shell $(SWIFT) build -c release --show-bin-path 2>/dev/null)
MAN_DIR := .build/man
DEB_DIR := .build/deb
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all deps deps-gui build demo demo-cluster test test-gui bench bench-actions clean pywinrm release manpages install deb

all: build

# Installs what is missing, idempotently (nothing runs apt when everything is present).
deps:
	@if pkg-config --exists libvirt libcurl libxml-2.0 2>/dev/null \
	   && command -v libvirtd >/dev/null && command -v virsh >/dev/null && command -v hyperfine >/dev/null \
	   && command -v virt-xml-validate >/dev/null && command -v xmllint >/dev/null \
	   && command -v saslpasswd2 >/dev/null \
	   && command -v dpkg-shlibdeps >/dev/null && command -v lintian >/dev/null && command -v man >/dev/null && command -v systemd-socket-activate >/dev/null \
	   && pkg-config --exists krb5-gssapi && [ -e /etc/gss/mech.d/mech.ntlmssp.conf ] && command -v krb5kdc >/dev/null && command -v kinit >/dev/null \
	   && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v psql >/dev/null \
	   && command -v qemu-system-x86_64 >/dev/null && [ -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ] \
	   && command -v sqlite3 >/dev/null && [ -e /usr/include/sqlite3.h ] && command -v ss >/dev/null && command -v openssl >/dev/null && command -v curl >/dev/null && command -v promtool >/dev/null && command -v prometheus-libvirt-exporter >/dev/null && [ -e /usr/lib/x86_64-linux-gnu/sasl2/libscram.so ] \
	   && /usr/bin/python3 -c 'import libvirt, venv, prometheus_client, gssapi, os, sysconfig; assert os.path.exists(sysconfig.get_paths()["include"] + "/Python.h")' 2>/dev/null; then \
	  echo "deps: all present"; \
	else \
	  echo "deps: installing $(APT_PACKAGES)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

# The GUI packages, idempotently.
deps-gui: deps
	@if command -v virt-manager >/dev/null && command -v Xvfb >/dev/null && command -v import >/dev/null && command -v xdotool >/dev/null; then \
	  echo "deps-gui: all present"; \
	else \
	  echo "deps-gui: installing $(GUI_PACKAGES)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $(GUI_PACKAGES); \
	fi

build: deps
	$(SWIFT) build

# The shipped programs: optimized, the Swift runtime linked statically (no toolchain on the server).
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --disable-local-rpath

# virtfed.1 and virtfedd.8 from the argument parsers (swift-argument-parser's generate-manual).
manpages: build
	@mkdir -p $(MAN_DIR)
	@for section in 1 8; do \
	  $(SWIFT) package plugin generate-manual --configuration debug --section $$section \
	    --date "$$(git log -1 --format=%cs 2>/dev/null || date +%F)" --authors "the virtfed developers" >/dev/null; \
	done
	@# A blank line between help paragraphs becomes mdoc's paragraph macro.
	@sed 's/^$$/.Pp/' .build/plugins/GenerateManual/outputs/virtfed/virtfed.1 >$(MAN_DIR)/virtfed.1
	@sed 's/^$$/.Pp/' .build/plugins/GenerateManual/outputs/virtfedd/virtfedd.8 >$(MAN_DIR)/virtfedd.8
	@echo "manpages: $(MAN_DIR)/virtfed.1 $(MAN_DIR)/virtfedd.8"

# PREFIX (/usr/local) and DESTDIR as usual; the configuration goes to /etc/virtfed, never over an edited one.
install: release manpages
	scripts/install-tree --bin "$(RELEASE_BIN_DIR)" --man $(MAN_DIR) --prefix "$(PREFIX)" --destdir "$(DESTDIR)"

# A Debian package: $(DEB_DIR)/virtfed_VERSION-1_ARCH.deb, then lintian on it.
deb: release manpages
	@package="$$(scripts/make-deb --bin "$(RELEASE_BIN_DIR)" --man $(MAN_DIR) --out $(DEB_DIR))" && echo "deb: $$package" \
	  && lintian --fail-on error "$$package"

# The main job on the embedded default: several libvirt test-driver hosts, one federated table.
demo: build
	$(SWIFT) build --package-path simulators
	@scripts/demo "$(BIN_DIR)" "$(SIM_BIN_DIR)"

# Three nodes on one PostgreSQL, one killed mid-demo (README: "Several brokers").
demo-cluster: build
	@scripts/demo-cluster "$(BIN_DIR)"

# pywinrm and pypsrp (from PyPI), each with its Kerberos extra, for the simulators' peer tests, in
# one ignored venv; idempotent. The extras build pykerberos and krb5 from source against
# libkrb5-dev (deps); python-gssapi is Debian's python3-gssapi (the venv sees system packages).
PYWINRM_VENV := .venv/pywinrm
pywinrm: deps
	@if $(PYWINRM_VENV)/bin/python -c 'import winrm, requests_ntlm, kerberos, pypsrp, spnego, gssapi, krb5' 2>/dev/null; then \
	  echo "pywinrm, pypsrp: present"; \
	else \
	  /usr/bin/python3 -m venv --system-site-packages $(PYWINRM_VENV) \
	    && $(PYWINRM_VENV)/bin/pip install -q 'pywinrm[kerberos]' 'pypsrp[kerberos]'; \
	fi

# The simulators package's own tests (simulators/) first. Then two phases: the unit and plugin
# tests, then the integration tests that run the real binaries (virtfed-sim from simulators/),
# with the Debian package built first (`make deb`: release build, lintian) for its install test.
# Kept apart because integration tests block test threads while their processes work,
# and the engine's concurrency tests need the cooperative pool to themselves to mean anything.
test: deps pywinrm
	$(SWIFT) build --build-tests
	$(SWIFT) build --package-path simulators --build-tests
	$(SWIFT) test --package-path simulators --skip-build
	VIRTFED_BIN_DIR="$(BIN_DIR)" $(SWIFT) test --skip-build --skip IntegrationTests
	$(MAKE) --no-print-directory deb
	VIRTFED_BIN_DIR="$(BIN_DIR)" VIRTFED_SIM_BIN_DIR="$(SIM_BIN_DIR)" VIRTFED_DEB="$$(ls -t $(DEB_DIR)/virtfed_*.deb | head -1)" \
	  $(SWIFT) test --skip-build --filter IntegrationTests

# virt-manager (unmodified) under Xvfb on the libvirt facade; refreshes docs/virt-manager-federation.png.
test-gui: deps-gui
	$(SWIFT) build --build-tests
	$(SWIFT) build --package-path simulators
	VIRTFED_BIN_DIR="$(BIN_DIR)" VIRTFED_SIM_BIN_DIR="$(SIM_BIN_DIR)" VIRTFED_GUI_TESTS=1 VIRTFED_SCREENSHOT="$(CURDIR)/docs/virt-manager-federation.png" \
	  VIRTFED_SNAPSHOT_SCREENSHOT="$(CURDIR)/docs/virt-manager-snapshots.png" \
	  $(SWIFT) test --skip-build --filter LibvirtFacadeGUITests

# The programs as shipped (`make release`: the Swift runtime linked statically, which also
# starts the CLI ~6 ms sooner than a dynamically linked build).
bench: deps pywinrm release
	$(SWIFT) build --package-path simulators -c release
	@scripts/bench-list "$$($(SWIFT) build -c release --show-bin-path)" --mode files
	@scripts/bench-list "$$($(SWIFT) build -c release --show-bin-path)" --mode shared
	@scripts/bench-rpc "$$($(SWIFT) build -c release --show-bin-path)"
	@scripts/bench-hyperv "$$($(SWIFT) build -c release --show-bin-path)" "$$($(SWIFT) build --package-path simulators -c release --show-bin-path)"
	@scripts/bench-facade "$$($(SWIFT) build -c release --show-bin-path)"
	@scripts/bench-metrics "$$($(SWIFT) build -c release --show-bin-path)"
	@scripts/bench-scvmm "$$($(SWIFT) build -c release --show-bin-path)" "$$($(SWIFT) build --package-path simulators -c release --show-bin-path)"
	@scripts/bench-events "$$($(SWIFT) build -c release --show-bin-path)"
	@scripts/bench-winrm-security "$$($(SWIFT) build -c release --show-bin-path)" "$$($(SWIFT) build --package-path simulators -c release --show-bin-path)"
	@scripts/bench-cluster "$$($(SWIFT) build -c release --show-bin-path)"
	@scripts/bench-cluster "$$($(SWIFT) build -c release --show-bin-path)" --backends 1000 --kills 3
	@$(MAKE) --no-print-directory bench-actions

# Issue 14's baseline: the action path before jobs (ACTIONS_BASELINE), built once in .bench/.
ACTIONS_BASELINE ?= bd7f233
bench-actions: release
	@if [ ! -x .bench/baseline-$(ACTIONS_BASELINE)/.build/release/virtfedd ]; then \
	  rm -rf .bench/baseline-$(ACTIONS_BASELINE); mkdir -p .bench; \
	  git worktree add -f --detach .bench/baseline-$(ACTIONS_BASELINE) $(ACTIONS_BASELINE) >/dev/null && \
	  $(SWIFT) build -c release --product virtfedd --package-path .bench/baseline-$(ACTIONS_BASELINE); \
	fi
	@scripts/bench-actions "$(RELEASE_BIN_DIR)" .bench/baseline-$(ACTIONS_BASELINE)/.build/release --calls 3000 --rounds 5

clean:
	rm -rf .build simulators/.build .scratch .bench
