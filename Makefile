# faigen: the two commands of the README, and the developer targets behind them.
SWIFT ?= swift
OUT ?= fai-config
BUILD_PACKAGES := libpcre2-dev zlib1g-dev libyaml-dev libssl-dev pkg-config binutils
TEST_PACKAGES := fai-client fai-doc fai-setup-storage shellcheck pcre2-utils perl valgrind systemd virt-what strace git \
	curl openssl python3 iproute2 mtree-netbsd \
	qemu-system-x86 ipxe-qemu pxelinux syslinux-common ovmf grub-efi-amd64-bin dnsmasq-base isc-dhcp-server kea-dhcp4-server busybox-static fai-server man-db gcc
# virt-xml-validate (and the xmllint it runs) checks the libvirt domains of `faigen boot`.
TEST_PACKAGES += libvirt-clients libxml2-utils
BENCH_PACKAGES := systemd virt-what hyperfine time
# The end-to-end install: FAI's server side and disk tools, QEMU (SeaBIOS) for the boot, pygrub.
E2E_PACKAGES := fai-server fai-setup-storage debootstrap python3 qemu-utils qemu-system-x86 e2fsprogs xen-utils-4.17
# The Ganeti OS definition's create (docs/ganeti.md): iPXE, syslinux on a FAT partition; Ganeti's own
# node code runs it (scripts/ganeti-node unpacks ganeti-3.0; these are the modules it imports).
TEST_PACKAGES += ipxe syslinux mtools dosfstools \
	python3-simplejson python3-pyparsing python3-openssl python3-pyinotify python3-pycurl python3-paramiko python3-bitarray python3-psutil
DEB_PACKAGES := lintian man-db
# The version lives in one place, the library (faigen --version prints the same).
VERSION := $(shell sed -n 's/.*static let string = "\(.*\)".*/\1/p' Sources/FaiSpace/Support/FaigenVersion.swift)
DEB_REVISION ?= 1
PREFIX ?= /usr/local
DESTDIR ?=
GENERATED := .build/faigen-generated

.PHONY: render test deps test-deps e2e e2e-deps build release bench golden leak-check fuzz clean print-version man completions install deb

## Render the embedded default site into $(OUT) (default ./fai-config).
render: deps
	$(SWIFT) build -c release --product faigen
	.build/release/faigen render --starter $(OUT)

## Run the whole test suite (installs what the tests need first): the static release
## binary's check in a toolchain-free chroot, the Debian package (make deb: man pages and
## completions the package test installs), every Swift test, then the end-to-end install
## (the e2e target's run).
test: deps test-deps e2e-deps deb
	$(SWIFT) build --build-tests
	$(SWIFT) test
	$(E2E_RUN)

## The end-to-end install (scripts/e2e/run): the default site rendered over fai-doc's
## example installed by FAI from Debian's archive, in private namespaces; packages are kept
## in $(E2E_CACHE) so a second run fetches none again.
E2E_CACHE ?= /var/cache/faigen-e2e
E2E_RUN = FAIGEN_E2E_CACHE=$(E2E_CACHE) scripts/e2e/run .build/release/faigen
e2e: deps e2e-deps release
	$(E2E_RUN)

e2e-deps: test-deps
	@scripts/ensure-apt $(E2E_PACKAGES)

deps:
	@scripts/ensure-apt $(BUILD_PACKAGES)

test-deps:
	@scripts/ensure-apt $(TEST_PACKAGES)

build: deps
	$(SWIFT) build

## A release binary that runs without the Swift toolchain (an FAI nfsroot): the Swift
## standard library and FoundationEssentials linked statically, and the whole executable static
## (libpcre2-8.a from libpcre2-dev), which also halves the start-up time of `faigen detect`
## (no dynamic loader). Then check that no ICU is linked in (FoundationEssentials only, by the
## symbol table) and that it runs in a chroot holding nothing else, and strip it.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib -Xswiftc -static-executable --product faigen
	scripts/check-static-release .build/release/faigen
	strip .build/release/faigen
	@ls -l .build/release/faigen

## Benchmarks beside the peer tools; prints numbers, asserts nothing.
bench: deps test-deps release
	@scripts/ensure-apt $(BENCH_PACKAGES)
	bench/run

## Show with valgrind that every PCRE2 allocation made through PCRE2Regex is freed.
leak-check: deps
	@scripts/ensure-apt valgrind
	scripts/pcre2-leak-check

## Regenerate golden/ on purpose; read `git diff golden/` before committing.
golden: deps
	FAIGEN_UPDATE_GOLDEN=1 $(SWIFT) test --filter Golden

print-version:
	@echo $(VERSION)

## Man pages, one a subcommand, from the argument parser's own help (swift-argument-parser's
## generate-manual plugin, on the debug build), named as man expects: faigen-render.1.
man: deps
	$(SWIFT) package generate-manual --multi-page --configuration debug
	scripts/collect-man-pages .build/plugins $(GENERATED)/man1

## bash, zsh and fish completions, from the argument parser (bash's without its #! line:
## bash-completion sources it).
completions: release
	mkdir -p $(GENERATED)/completions
	.build/release/faigen --generate-completion-script bash | sed '1{/^#!/d}' > $(GENERATED)/completions/faigen
	.build/release/faigen --generate-completion-script zsh > $(GENERATED)/completions/_faigen
	.build/release/faigen --generate-completion-script fish > $(GENERATED)/completions/faigen.fish

## Install the static release binary, man pages, completions and docs under $(DESTDIR)$(PREFIX).
install: release man completions
	scripts/install-faigen "$(DESTDIR)" "$(PREFIX)" $(GENERATED)

## A Debian package (.build/faigen_$(VERSION)-$(DEB_REVISION)_ARCH.deb) from `make install`'s tree,
## checked with dpkg-deb --info and lintian.
deb: release man completions
	@scripts/ensure-apt $(DEB_PACKAGES)
	scripts/build-deb $(VERSION)-$(DEB_REVISION) $(GENERATED)

## Run every fuzz target (FuzzTests, ManifestFuzzTests) longer than the test suite does, with a
## new seed each time: FUZZ_ITERATIONS inputs per target; the input being tried is kept in
## .build/fuzz/TARGET.
FUZZ_ITERATIONS ?= 20000
fuzz: deps test-deps
	$(SWIFT) build --build-tests
	FAIGEN_FUZZ_ITERATIONS=$(FUZZ_ITERATIONS) FAIGEN_FUZZ_COUNT=$(FUZZ_ITERATIONS) FAIGEN_FUZZ_SEED=$$(date +%s) FAIGEN_FUZZ_SAVE=.build/fuzz \
		$(SWIFT) test --skip-build --filter FuzzTests

clean:
	rm -rf .build
