# SPDX-License-Identifier: GPL-2.0-or-later
# The probe kernel module (probe/mhp_probe.c), included from
# guest-images/Makefile after BUILD, DEBS, ABI_FILE and APT_DL are set.
#
#   build/headers/<abi>/usr/src/linux-headers-<abi>-{amd64,common}
#   build/headers/<abi>/usr/lib/linux-kbuild-<x.y>
#                            Debian's headers + kbuild for the guest kernel's
#                            ABI, unpacked from their .debs (never installed)
#   build/probe/mhp_probe.ko the module (Kbuild's output, with debug info)
#   build/probe/stripped/mhp_probe.ko
#                            the same without debug info: the initramfs
#                            carries it as /lib/modules/mhp_probe.ko
#
# Targets: probe (the .ko), headers.
# KDIR=<kernel build tree> builds against that tree instead of Debian's
# headers, e.g. a kernel built from source by kernel.mk:
# KDIR=build/kernels/<label>/build (relative paths start at guest-images/).
# The tree needs Module.symvers (a finished build, or modules_prepare) and a
# kernel with CONFIG_MODULES, DEBUG_FS, MEMORY_HOTPLUG, SPARSEMEM_VMEMMAP,
# x86_64. The module must match the kernel the guest boots, so build the
# initramfs with the same KDIR: make -C guest-images KDIR=... initramfs
#
# Kbuild writes its output next to the sources, so the sources are copied
# into build/probe/ and built there: nothing is written under probe/.

PROBE_OUT  := $(BUILD)/probe
# What the initramfs ships: Kbuild's $(PROBE_OUT)/mhp_probe.ko without its
# debug info (377 KB -> 20 KB; the full one stays for decoding an oops).
PROBE_KO   := $(PROBE_OUT)/stripped/mhp_probe.ko
PROBE_SRC  := probe/mhp_probe.c probe/Kbuild
HEADERS    := $(BUILD)/headers
# Which headers the unpacked tree is for: rewritten when kernel.abi changes.
HEADERS_STAMP := $(HEADERS)/current
# What the .ko was last built against: the KDIR given, or empty for Debian's.
PROBE_KDIR_FILE := $(PROBE_OUT)/kdir
PROBE_KDIR := $(if $(KDIR),$(abspath $(KDIR)))
# Kbuild gets none of our command-line variables (they would leak in
# through MAKEFLAGS, as kernel.mk notes too). No BTF for the module: 6.12's
# headers ship a vmlinux, so Kbuild would run pahole (dwarves), which the
# probe does not need and the host need not have.
PROBE_MAKE = env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
	     -u SRC -u PATCHES -u CONFIG -u LABEL -u JOBS -u KDIR -u KERNEL_ABI \
	     -u SERIES make CONFIG_DEBUG_INFO_BTF_MODULES=

.PHONY: probe headers

probe: $(PROBE_KO)

headers: $(HEADERS_STAMP)

$(PROBE_OUT) $(HEADERS):
	@mkdir -p $@

# The exact version of linux-headers-<abi>-amd64 picks the kbuild package,
# named in its Depends: linux-kbuild-<x.y> for 6.1, linux-kbuild-<abi> for
# 6.12. Debian keeps several kbuild versions in one suite, and only the one
# of the headers' own version has the right scripts and modpost. The amd64
# headers' Makefile includes the common one by an absolute /usr/src path;
# it is rewritten to a path relative to itself so the tree works wherever
# it lies. The lib/modules/*/{build,source} links (absolute) are dropped.
# $(call HEADERS_UNPACK,ABI) is shell: it unpacks build/headers/ABI once.
define HEADERS_UNPACK
abi=$(1); tree=$(HEADERS)/$$abi; \
if [ ! -f $$tree/.done ]; then \
	deb() { ls $(DEBS)/$$1_*.deb 2>/dev/null | head -n1; }; \
	for p in linux-headers-$$abi-amd64 linux-headers-$$abi-common; do \
		if [ -z "$$(deb $$p)" ]; then \
			echo "guest-images: downloading $$p"; \
			( $(call APT_DL,$$p) ) || true; \
		fi; \
		[ -n "$$(deb $$p)" ] || { echo "guest-images: no .deb for $$p" >&2; exit 1; }; \
	done; \
	ver=$$(dpkg-deb -f "$$(deb linux-headers-$$abi-amd64)" Version); \
	kb=$$(dpkg-deb -f "$$(deb linux-headers-$$abi-amd64)" Depends | tr ',' '\n' | \
	      sed -n 's/^ *\(linux-kbuild-[^ ]*\).*/\1/p' | head -n1); \
	[ -n "$$kb" ] || { echo "guest-images: linux-headers-$$abi-amd64 depends on no linux-kbuild package" >&2; exit 1; }; \
	if [ -z "$$(deb $${kb}_$$(echo $$ver | sed 's/:/%3a/'))" ]; then \
		echo "guest-images: downloading $$kb=$$ver"; \
		( $(call APT_DL,$$kb=$$ver) ) || true; \
	fi; \
	kbdeb=$$(deb $${kb}_$$(echo $$ver | sed 's/:/%3a/')); \
	[ -n "$$kbdeb" ] || { echo "guest-images: no .deb for $$kb=$$ver" >&2; exit 1; }; \
	rm -rf $$tree.tmp $$tree && mkdir -p $$tree.tmp; \
	for d in "$$(deb linux-headers-$$abi-amd64)" \
		 "$$(deb linux-headers-$$abi-common)" "$$kbdeb"; do \
		dpkg-deb -x "$$d" $$tree.tmp; \
	done; \
	rm -rf $$tree.tmp/lib $$tree.tmp/usr/share; \
	sed -i 's|^include /usr/src/|include $$(realpath $$(dir $$(lastword $$(MAKEFILE_LIST)))..)/|' \
		$$tree.tmp/usr/src/linux-headers-$$abi-amd64/Makefile; \
	if grep -q '/usr/src' $$tree.tmp/usr/src/linux-headers-$$abi-amd64/Makefile; then \
		echo "guest-images: cannot relocate $$tree/usr/src/linux-headers-$$abi-amd64/Makefile" >&2; exit 1; \
	fi; \
	objtool=$$tree.tmp/usr/lib/$$kb/tools/objtool/objtool; \
	if [ -x $$objtool ] && ldd $$objtool 2>/dev/null | grep -q 'libelf.so.1 => not found'; then \
		if [ -z "$$(deb libelf1)" ]; then \
			echo "guest-images: downloading libelf1 (for kbuild's objtool)"; \
			( $(call APT_DL,libelf1) ) || true; \
		fi; \
		[ -n "$$(deb libelf1)" ] || { echo "guest-images: objtool needs libelf1: apt-get install libelf1" >&2; exit 1; }; \
		mkdir -p $$tree.tmp/hostlibs.x; dpkg-deb -x "$$(deb libelf1)" $$tree.tmp/hostlibs.x; \
		mkdir -p $$tree.tmp/hostlibs; \
		cp -P $$tree.tmp/hostlibs.x/usr/lib/*/libelf* $$tree.tmp/hostlibs/; \
		rm -rf $$tree.tmp/hostlibs.x; \
	fi; \
	touch $$tree.tmp/.done; mv $$tree.tmp $$tree; \
	echo "guest-images: headers $$abi ($${kbdeb##*/})"; \
fi
endef

$(HEADERS_STAMP): $(ABI_FILE) | $(HEADERS) $(DEBS)
	@set -e; abi=$$(cat $(ABI_FILE)); $(call HEADERS_UNPACK,$$abi); \
	echo $$abi > $@.tmp && mv $@.tmp $@

# An explicit KDIR that differs from the last one forces a rebuild.
ifneq ($(PROBE_KDIR),$(shell cat $(PROBE_KDIR_FILE) 2>/dev/null))
$(PROBE_KDIR_FILE): FORCE
endif

$(PROBE_KDIR_FILE): | $(PROBE_OUT)
	@echo '$(PROBE_KDIR)' > $@

ifeq ($(PROBE_KDIR),)
PROBE_KDIR_DEP := $(HEADERS_STAMP)
endif

# Missing shared libraries of kbuild's host tools are named, since make's
# own error would only say "Error 127". objtool needs libelf1, which a
# fresh Debian 12 may lack: the headers rule then unpacks it into
# build/headers/<abi>/hostlibs, used through LD_LIBRARY_PATH.
$(PROBE_KO): $(PROBE_SRC) probe/probe.mk $(PROBE_KDIR_FILE) $(PROBE_KDIR_DEP) | $(PROBE_OUT)
	@set -e; kdir='$(PROBE_KDIR)'; \
	if [ -z "$$kdir" ]; then \
		abi=$$(cat $(HEADERS_STAMP)); \
		kdir=$(abspath $(HEADERS))/$$abi/usr/src/linux-headers-$$abi-amd64; \
		if [ -d $(abspath $(HEADERS))/$$abi/hostlibs ]; then \
			export LD_LIBRARY_PATH=$(abspath $(HEADERS))/$$abi/hostlibs$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}; \
		fi; \
	fi; \
	[ -f "$$kdir/Makefile" ] || { echo "guest-images: KDIR $$kdir is no kernel build tree" >&2; exit 1; }; \
	for f in $(PROBE_SRC); do cmp -s $$f $(PROBE_OUT)/$${f##*/} || cp $$f $(PROBE_OUT)/; done; \
	echo "guest-images: building mhp_probe.ko against $$kdir"; \
	$(PROBE_MAKE) -C "$$kdir" M=$(abspath $(PROBE_OUT)) modules >$(PROBE_OUT)/build.log 2>&1 || { \
		cat $(PROBE_OUT)/build.log >&2; \
		for t in "$$kdir"/scripts/mod/modpost "$$kdir"/tools/objtool/objtool; do \
			[ -x "$$t" ] && ldd "$$t" 2>/dev/null | grep 'not found' | \
				sed "s|^|guest-images: $$t needs |" >&2; \
		done; \
		exit 1; }; \
	grep -i 'warning' $(PROBE_OUT)/build.log >&2 || true; \
	mkdir -p $(@D); strip --strip-debug -o $@.tmp $(PROBE_OUT)/mhp_probe.ko; \
	mv $@.tmp $@
