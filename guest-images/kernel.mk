# SPDX-License-Identifier: GPL-2.0-or-later
# Included from Makefile: builds a guest kernel from a source tree, a patch
# queue and Kconfig fragments (docs/building-kernels.md):
#
#   make -C guest-images kernel [SRC=DIR] [PATCHES=DIR] [CONFIG=FRAGMENT...]
#                               [LABEL=NAME] [KCONFIG_BASE=tinyconfig]
#                               [JOBS=N] [NICE='nice -n 19']
#
# Relative paths are taken from guest-images/ (where this make runs);
# absolute paths work from anywhere. Paths must not contain spaces.
#
#   SRC      a kernel tree, used read-only. Default: Debian's linux-source-6.1,
#            downloaded with apt-get download and unpacked once into
#            build/linux-source-6.1, which nothing ever writes to again.
#   PATCHES  a directory of *.patch files, applied with patch -p1 in name
#            order (or in the order of its quilt-style `series` file).
#   CONFIG   the user's fragments, merged after ours (config/*.config).
#   LABEL    names the output directory build/kernels/LABEL and is appended
#            to the kernel release (6.1.192-LABEL). Default: PATCHES'
#            directory name, else `custom`.
#
# The patches go to build/kernels/LABEL/src, a hard-link copy of SRC: GNU
# patch writes each file it changes to a new inode, so SRC never changes.
# The kernel is built out of tree in build/kernels/LABEL/obj. The config is
# KCONFIG_BASE, then config/guest.config, config/mhpbench.config and CONFIG
# merged by scripts/kconfig-merge.sh, then `make olddefconfig`, then
# scripts/kconfig-check.sh fails the build if Kconfig dropped any option.
#
# Outputs in build/kernels/LABEL/: vmlinuz (bzImage), kernel.release, config
# (the final .config), System.map (names a stuck vCPU's addresses: README
# "Faults and interruptions"), lib/modules/RELEASE/ (modules_install), build -> obj
# (for `make -C .../build M=DIR` of out-of-tree modules), build.log and
# build.info (what went in, and how long it took).

comma := ,
kabs = $(foreach p,$(1),$(if $(filter /%,$(p)),$(p),$(CURDIR)/$(p)))
kerr = $(error guest-images: kernel: $(1))

KSRC_NAME    := linux-source-6.1
K_BUILD      := $(call kabs,$(BUILD))
KSRC_DEFAULT := $(K_BUILD)/$(KSRC_NAME)
KCONFIG_BASE ?= tinyconfig
KFRAGS_OURS  := $(CURDIR)/config/guest.config $(CURDIR)/config/mhpbench.config
JOBS         ?= $(shell nproc 2>/dev/null || echo 1)
NICE         ?= nice -n 19
KSCRIPTS     := $(abspath $(CURDIR)/../scripts)

.PHONY: kernel kernel-source kernel-initramfs

kernel-source: $(KSRC_DEFAULT)/Makefile

# The .deb is kept in build/deb; the tree is unpacked into a temporary name
# and renamed, so an interrupted unpack is never taken for a finished one.
$(KSRC_DEFAULT)/Makefile: | $(DEBS)
	@set -e; deb=$$(ls $(DEBS)/$(KSRC_NAME)_*.deb 2>/dev/null | tail -n1); \
	if [ -z "$$deb" ]; then \
		echo "guest-images: downloading $(KSRC_NAME)"; \
		( $(call APT_DL,$(KSRC_NAME)) ) || true; \
		deb=$$(ls $(DEBS)/$(KSRC_NAME)_*.deb 2>/dev/null | tail -n1); \
	fi; \
	[ -n "$$deb" ] || { echo "guest-images: no .deb for $(KSRC_NAME)" >&2; exit 1; }; \
	x=$(BUILD)/$(KSRC_NAME).x; rm -rf $$x $(KSRC_DEFAULT); mkdir -p $$x; \
	echo "guest-images: unpacking $${deb##*/} into $(BUILD)/$(KSRC_NAME) (once)"; \
	dpkg-deb -x "$$deb" $$x; \
	tarball=$$(ls $$x/usr/src/$(KSRC_NAME).tar.* | head -n1); \
	[ -f "$$tarball" ] || { echo "guest-images: $${deb##*/} holds no usr/src/$(KSRC_NAME).tar.*" >&2; exit 1; }; \
	tar -xf "$$tarball" -C $$x; \
	[ -f $$x/$(KSRC_NAME)/Makefile ] || { echo "guest-images: $${tarball##*/} holds no $(KSRC_NAME)/Makefile" >&2; exit 1; }; \
	mv $$x/$(KSRC_NAME) $(KSRC_DEFAULT); \
	rm -rf $$x; \
	echo "guest-images: $(KSRC_NAME) is $$(sed -n 's/^\(VERSION\|PATCHLEVEL\|SUBLEVEL\) = //p' \
		$(KSRC_DEFAULT)/Makefile | head -n3 | paste -sd.)"

# Arguments are checked when make reads this file, before anything is
# downloaded or built, and only when `kernel` is asked for.
ifneq ($(filter kernel,$(MAKECMDGOALS)),)

K_SRC := $(if $(SRC),$(call kabs,$(patsubst %/,%,$(SRC))),$(KSRC_DEFAULT))
K_PATCHES := $(if $(PATCHES),$(call kabs,$(patsubst %/,%,$(PATCHES))))
K_FRAGS := $(KFRAGS_OURS) $(call kabs,$(CONFIG))
K_LABEL := $(or $(LABEL),$(if $(K_PATCHES),$(notdir $(K_PATCHES))),custom)
K_OUT := $(K_BUILD)/kernels/$(K_LABEL)

ifneq ($(SRC),)
ifneq ($(words $(SRC)),1)
$(call kerr,SRC must be one directory: '$(SRC)')
endif
ifeq ($(wildcard $(K_SRC)/Makefile),)
$(call kerr,SRC '$(SRC)' is not a kernel tree: no $(K_SRC)/Makefile (relative paths start at guest-images/))
endif
endif
ifneq ($(PATCHES),)
ifneq ($(words $(PATCHES)),1)
$(call kerr,PATCHES must be one directory: '$(PATCHES)')
endif
ifeq ($(wildcard $(K_PATCHES)/.),)
$(call kerr,PATCHES directory '$(PATCHES)' not found (looked for $(K_PATCHES); relative paths start at guest-images/))
endif
K_SERIES := $(if $(wildcard $(K_PATCHES)/series),$(addprefix $(K_PATCHES)/,$(shell sed -e 's/[[:space:]]*\#.*//' -e 's/[[:space:]].*//' $(K_PATCHES)/series)),$(sort $(wildcard $(K_PATCHES)/*.patch)))
ifeq ($(K_SERIES),)
$(call kerr,PATCHES directory '$(PATCHES)' holds no *.patch files)
endif
$(foreach p,$(K_SERIES),$(if $(wildcard $(p)),,$(call kerr,patch '$(p)' listed in $(K_PATCHES)/series not found)))
endif
$(foreach f,$(K_FRAGS),$(if $(wildcard $(f)),,$(call kerr,config fragment '$(f)' not found (relative paths start at guest-images/))))
ifneq ($(shell echo '$(K_LABEL)' | grep -Eqx '[A-Za-z0-9][A-Za-z0-9._+-]*' && echo ok),ok)
$(call kerr,LABEL '$(K_LABEL)' may hold only letters$(comma) digits and . _ + - (it names a directory and ends the kernel release))
endif
K_MISSING := $(foreach t,flex bison bc perl gcc make patch,$(if $(shell command -v $(t)),,$(t))) \
	$(if $(wildcard /usr/include/libelf.h /usr/include/gelf.h),,libelf-dev) \
	$(if $(wildcard /usr/include/openssl/ssl.h),,libssl-dev)
ifneq ($(strip $(K_MISSING)),)
$(call kerr,missing build tools: $(strip $(K_MISSING)); on Debian: apt-get install flex bison bc libelf-dev libssl-dev)
endif

endif # kernel in MAKECMDGOALS

# The kernel's make gets none of our command-line variables (CONFIG=, SRC=
# would leak into Kbuild through MAKEFLAGS and the environment).
K_MAKE = env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
	 -u SRC -u PATCHES -u CONFIG -u LABEL -u JOBS -u NICE -u KCONFIG_BASE \
	 $(NICE) make -C $(K_OUT)/src O=$(K_OUT)/obj ARCH=x86_64 \
	 LOCALVERSION=-$(K_LABEL)

# Strict: no fuzz (a hunk whose context moved applies at an offset, one whose
# context changed fails) and no guessing that a patch is reversed.
K_PATCH := patch -p1 --forward --fuzz=0 --batch --no-backup-if-mismatch

# Files a patch queue touches (-p1), one a line: the paths on its ---/+++
# lines and on git's rename/copy lines.
K_TOUCHED = sed -n -e 's/^\(---\|+++\) [^/]*\/\([^\t]*\).*/\2/p' \
		   -e 's/^\(rename\|copy\) \(from\|to\) //p' $(1) | \
	    grep -v '^dev/null$$' | LC_ALL=C sort -u

# One shell, so that the build time covers every step. The outputs of the
# last build go first, so that a failed build leaves no image that looks
# like its result. The copy of SRC is
# made again when SRC (any file newer than the last copy) or the queue
# changed; files that either queue touches get a fresh inode and mtime, so
# Kbuild rebuilds what a dropped patch had changed.
kernel: $(if $(SRC),,$(KSRC_DEFAULT)/Makefile)
	@set -e; t0=$$(date +%s); out=$(K_OUT); log=$$out/build.log; \
	mkdir -p $$out; : >$$log; \
	rm -f $$out/vmlinuz $$out/kernel.release $$out/config $$out/System.map $$out/build.info; \
	say() { echo "guest-images: kernel $(K_LABEL): $$*"; echo "== $$*" >>$$log; }; \
	fail() { echo "guest-images: kernel $(K_LABEL): error: $$*" >&2; \
		 echo "== error: $$*" >>$$log; exit 1; }; \
	run() { echo "\$$ $$*" >>$$log; "$$@" >>$$log 2>&1 || { \
		echo "--- last 30 lines of $$log ---" >&2; tail -n 30 $$log >&2; \
		fail "'$$*' failed; full log: $$log"; }; }; \
	hms() { printf '%dm%02ds' $$(($$1 / 60)) $$(($$1 % 60)); }; \
	say "source $(K_SRC), config $(KCONFIG_BASE) + $(notdir $(K_FRAGS)), log $$log"; \
	key=$$( { echo "src $(K_SRC)"; echo "$(K_PATCH)"; for p in $(K_SERIES); do sha256sum $$p; done; } ); \
	if [ -f $$out/src.key ] && [ "$$key" = "$$(cat $$out/src.key)" ] && \
	   [ -z "$$(find $(K_SRC) -path $(K_SRC)/.git -prune -o -newer $$out/src.key -print -quit)" ]; then \
		say "copy $$out/src is up to date"; \
	else \
		if [ -d $$out/obj ] && [ "$$(head -n1 $$out/src.key 2>/dev/null)" != "src $(K_SRC)" ]; then \
			say "new SRC: removing the old build tree"; rm -rf $$out/obj; \
		fi; \
		old=; [ -f $$out/src.files ] && old=$$(cat $$out/src.files); \
		rm -rf $$out/src $$out/src.tmp $$out/src.key $$out/src.files; \
		say "copying $(K_SRC) to $$out/src (hard links)"; \
		cp -al $(K_SRC) $$out/src.tmp 2>>$$log || { \
			say "hard links failed (another file system?): copying"; \
			rm -rf $$out/src.tmp; cp -a --reflink=auto $(K_SRC) $$out/src.tmp; }; \
		new=$$($(call K_TOUCHED,/dev/null $(K_SERIES))); \
		for f in $$(printf '%s\n' $$old $$new | LC_ALL=C sort -u); do \
			if [ -f $$out/src.tmp/$$f ]; then \
				cp --remove-destination $(K_SRC)/$$f $$out/src.tmp/$$f; \
			elif [ -d $$out/obj ] && ! printf '%s\n' $$new | grep -qxF "$$f"; then \
				say "$$f came from a patch that is gone: removing the old build tree"; \
				rm -rf $$out/obj; \
			fi; \
		done; \
		for p in $(K_SERIES); do \
			say "applying $$p"; \
			echo "\$$ $(K_PATCH) <$$p" >>$$log; \
			if ! msg=$$($(K_PATCH) -d $$out/src.tmp <$$p 2>&1); then \
				echo "$$msg" >>$$log; echo "$$msg" | sed 's/^/  /' >&2; \
				fail "patch $$p does not apply to $(K_SRC) (the half-patched copy, with any *.rej: $$out/src.tmp)"; \
			fi; \
			echo "$$msg" >>$$log; \
		done; \
		mv $$out/src.tmp $$out/src; \
		echo "$$new" >$$out/src.files; echo "$$key" >$$out/src.key; \
	fi; \
	mkdir -p $$out/obj; \
	say "config: $(KCONFIG_BASE), merge fragments, olddefconfig, check"; \
	run $(K_MAKE) $(KCONFIG_BASE); \
	msg=$$($(KSCRIPTS)/kconfig-merge.sh -o $$out/obj/.config $$out/obj/.config $(K_FRAGS) 2>&1) || \
		{ echo "$$msg" >&2; echo "$$msg" >>$$log; fail "merging the fragments failed"; }; \
	[ -z "$$msg" ] || { echo "$$msg" | sed 's/^/  /'; echo "$$msg" >>$$log; }; \
	run $(K_MAKE) olddefconfig; \
	if ! chk=$$($(KSCRIPTS)/kconfig-check.sh $$out/obj/.config $(K_FRAGS) 2>&1); then \
		echo "$$chk" >&2; echo "$$chk" >>$$log; \
		fail "the final .config lacks options of the fragments (listed above): $$out/obj/.config"; \
	fi; \
	echo "$$chk" >>$$log; \
	say "building with -j$(JOBS) under '$(NICE)'"; t1=$$(date +%s); \
	run $(K_MAKE) -j$(JOBS) all; \
	t2=$$(date +%s); \
	release=$$($(K_MAKE) -s kernelrelease); \
	rm -rf $$out/lib/modules; \
	run $(K_MAKE) INSTALL_MOD_PATH=$$out modules_install; \
	cp $$out/obj/arch/x86/boot/bzImage $$out/vmlinuz.tmp; mv $$out/vmlinuz.tmp $$out/vmlinuz; \
	echo "$$release" >$$out/kernel.release; \
	cp $$out/obj/.config $$out/config; \
	cp $$out/obj/System.map $$out/System.map; \
	ln -sfn obj $$out/build; \
	t3=$$(date +%s); \
	{ echo "label $(K_LABEL)"; echo "release $$release"; echo "src $(K_SRC)"; \
	  for p in $(K_SERIES); do echo "patch $$(sha256sum $$p)"; done; \
	  echo "base $(KCONFIG_BASE)"; \
	  for f in $(K_FRAGS); do echo "fragment $$(sha256sum $$f)"; done; \
	  echo "compiler $$(gcc --version | head -n1)"; \
	  echo "jobs $(JOBS) ($(NICE)) on $$(nproc) CPUs"; \
	  echo "compile_s $$((t2 - t1))"; echo "total_s $$((t3 - t0))"; \
	  echo "built $$(date -u +%Y-%m-%dT%H:%M:%SZ)"; } >$$out/build.info; \
	say "$$release in $$out/vmlinuz"; \
	say "built in $$(hms $$((t3 - t0))) (compile $$(hms $$((t2 - t1))), -j$(JOBS))"; \
	if [ -f $$out/obj/Module.symvers ]; then \
		$(MAKE) --no-print-directory LABEL=$(K_LABEL) kernel-initramfs; \
	else \
		say "no Module.symvers (a kernel without modules?): no probe module or initramfs of its own"; \
	fi

# The probe module built against this kernel's tree, and an initramfs that
# carries it: the shared one (built for Debian's kernel) followed by an
# overlay archive holding lib/modules/mhp_probe.ko. The kernel unpacks
# concatenated archives in order, so the overlay's module replaces
# Debian's. mhpbench boots <label>/initramfs.cpio.gz when it is there.
KI_LABEL := $(or $(LABEL),custom)
KI_OUT := $(K_BUILD)/kernels/$(KI_LABEL)
KI_MAKE = env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u LABEL \
	  $(NICE) make
kernel-initramfs: $(BUILD)/initramfs.cpio.gz
	@set -e; out=$(KI_OUT); \
	[ -d $$out/build ] || { echo "guest-images: kernel-initramfs: no build tree in $$out; run make kernel LABEL=$(KI_LABEL) first" >&2; exit 1; }; \
	rm -rf $$out/probe $$out/overlay; mkdir -p $$out/probe $$out/overlay/lib/modules; \
	cp probe/mhp_probe.c probe/Kbuild $$out/probe/; \
	$(KI_MAKE) -C $$out/build M=$$(cd $$out/probe && pwd) modules >>$$out/build.log 2>&1 || \
		{ tail -n 20 $$out/build.log >&2; echo "guest-images: probe module for $(KI_LABEL) failed; log $$out/build.log" >&2; exit 1; }; \
	strip --strip-debug -o $$out/overlay/lib/modules/mhp_probe.ko $$out/probe/mhp_probe.ko; \
	find $$out/overlay -exec touch -h -d @0 {} +; \
	( cd $$out/overlay && find . -mindepth 1 | LC_ALL=C sort | \
	  cpio -o -H newc -R 0:0 --reproducible --quiet ) | gzip -9 -n >$$out/overlay.cpio.gz; \
	cat $(BUILD)/initramfs.cpio.gz $$out/overlay.cpio.gz >$$out/initramfs.cpio.gz.tmp; \
	mv $$out/initramfs.cpio.gz.tmp $$out/initramfs.cpio.gz; \
	echo "guest-images: kernel $(KI_LABEL): $$out/initramfs.cpio.gz (probe module for $$(cat $$out/kernel.release))"
