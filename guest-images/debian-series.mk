# SPDX-License-Identifier: GPL-2.0-or-later
# Included from Makefile after probe/probe.mk: a Debian kernel series other
# than the default one, for the kernel spec debian-<series> (README "Comparing
# kernels"):
#
#   make -C guest-images debian-series SERIES=6.12
#
# writes build/debian-<series>/, a kernel directory like those kernel.mk
# makes, so mhpbench boots it the same way:
#   kernel.abi         the ABI (6.12.118+deb12), resolved once and cached, so
#                      a newer Debian kernel never slips into a comparison;
#                      remove it to resolve again
#   kernel.package     the linux-image package and version it came from
#   vmlinuz, kernel.release
#   lib/modules/<release>/  the image's modules, as Debian ships them
#   probe/             mhp_probe.ko built against the headers of that ABI
#   initramfs.cpio.gz  the shared initramfs plus an overlay that holds that
#                      probe module as /lib/modules/mhp_probe.ko, and the
#                      nvdimm/dax modules in /lib/modules/dax (source = pmem)
#
# The ABI comes from the meta package linux-image-<series>-amd64 (6.12 has
# one), else from linux-image-amd64 when its ABI is of that series (6.1).
# Nothing is installed: the .debs are downloaded into build/deb and unpacked.
# mhpbench runs this target itself for a debian-<series> kernel spec.

DS_OUT := $(BUILD)/debian-$(SERIES)
DS_ABI := $(DS_OUT)/kernel.abi

.PHONY: debian-series

ifneq ($(filter debian-series,$(MAKECMDGOALS)),)
ifneq ($(shell echo '$(SERIES)' | grep -Eqx '[0-9]+\.[0-9]+' && echo ok),ok)
$(error guest-images: debian-series: SERIES must be MAJOR.MINOR, e.g. SERIES=6.12 (got '$(SERIES)'))
endif
endif

debian-series: $(DS_OUT)/initramfs.cpio.gz

$(DS_OUT):
	@mkdir -p $@

# Prints the ABI of series $(SERIES) that apt knows, or nothing.
DS_RESOLVE = \
	meta() { apt-cache depends "$$1" 2>/dev/null | \
		 sed -n 's/^ *Depends: linux-image-\(.*\)-amd64$$/\1/p' | head -n1; }; \
	     abi=$$(meta linux-image-$(SERIES)-amd64); \
	     if [ -z "$$abi" ]; then \
		abi=$$(meta linux-image-amd64); \
		case "$$abi" in $(SERIES).*) ;; *) abi= ;; esac; \
	     fi

# A series apt does not know gets one apt-get update, then apt's own error.
$(DS_ABI): | $(DS_OUT)
	@$(DS_RESOLVE); \
	if [ -z "$$abi" ]; then \
		echo "guest-images: no kernel of series $(SERIES) in the package lists; running apt-get update"; \
		apt-get update -qq || true; \
		$(DS_RESOLVE); \
	fi; \
	if [ -z "$$abi" ]; then \
		apt-get download --print-uris -qq linux-image-$(SERIES)-amd64 2>&1 >/dev/null | sed 's/^/apt: /' >&2; \
		echo "guest-images: Debian has no kernel series $(SERIES): apt knows no" \
		     "linux-image-$(SERIES)-amd64, and linux-image-amd64 is $$(meta linux-image-amd64 || true)" >&2; \
		rmdir $(DS_OUT) 2>/dev/null || true; exit 1; \
	fi; \
	echo "$$abi" > $@.tmp && mv $@.tmp $@; \
	echo "guest-images: kernel series $(SERIES) is ABI $$abi"

# The signed image is tried first; the -unsigned one holds the same files.
# The modules stay, under lib/modules/<release>, as the module tree of the
# kernel directory; /boot's other files and the docs go.
$(DS_OUT)/vmlinuz $(DS_OUT)/kernel.release &: $(DS_ABI) | $(DEBS)
	@set -e; abi=$$(cat $(DS_ABI)); out=$(DS_OUT); \
	debs() { ls $(DEBS)/linux-image-$$abi-amd64_*.deb $(DEBS)/linux-image-$$abi-amd64-unsigned_*.deb 2>/dev/null | head -n1; }; \
	deb=$$(debs); \
	if [ -z "$$deb" ]; then \
		echo "guest-images: downloading linux-image-$$abi-amd64"; \
		( $(call APT_DL,linux-image-$$abi-amd64 linux-image-$$abi-amd64-unsigned) ) || true; \
		deb=$$(debs); \
	fi; \
	[ -n "$$deb" ] || { echo "guest-images: no .deb for linux-image-$$abi-amd64;" \
		"remove $(DS_ABI) to resolve series $(SERIES) again" >&2; exit 1; }; \
	rm -rf $$out/x $$out/lib $$out/vmlinuz $$out/kernel.release && mkdir -p $$out/x; \
	dpkg-deb -x "$$deb" $$out/x; \
	img=$$(ls $$out/x/boot/vmlinuz-* | head -n1); \
	[ -f "$$img" ] || { echo "guest-images: $$deb holds no boot/vmlinuz-*" >&2; exit 1; }; \
	rel=$${img##*/vmlinuz-}; \
	mkdir -p $$out/lib; \
	[ -d $$out/x/lib/modules/$$rel ] && mv $$out/x/lib/modules $$out/lib/modules; \
	rm -f $$out/lib/modules/$$rel/build $$out/lib/modules/$$rel/source; \
	echo "$$(dpkg-deb -f "$$deb" Package)=$$(dpkg-deb -f "$$deb" Version)" > $$out/kernel.package; \
	cp "$$img" $$out/vmlinuz.tmp && mv $$out/vmlinuz.tmp $$out/vmlinuz; \
	echo "$$rel" > $$out/kernel.release; \
	rm -rf $$out/x; \
	echo "guest-images: kernel $$rel from $${deb##*/} in $$out"

# The probe module for this ABI, and the initramfs that carries it (the
# overlay's module replaces the shared one's, as in kernel.mk).
# The overlay also carries the nvdimm and device-DAX modules that source =
# pmem needs (README "Persistent memory through dax/kmem"), in
# /lib/modules/dax, as Debian ships them (6.12: xz, which the agent has the
# kernel decompress; 6.1: plain .ko).
$(DS_OUT)/initramfs.cpio.gz: $(BUILD)/initramfs.cpio.gz $(DS_OUT)/vmlinuz $(PROBE_SRC) debian-series.mk | $(HEADERS) $(DEBS)
	@set -e; abi=$$(cat $(DS_ABI)); $(call HEADERS_UNPACK,$$abi); \
	out=$(DS_OUT); kdir=$(abspath $(HEADERS))/$$abi/usr/src/linux-headers-$$abi-amd64; \
	if [ -d $(abspath $(HEADERS))/$$abi/hostlibs ]; then \
		export LD_LIBRARY_PATH=$(abspath $(HEADERS))/$$abi/hostlibs$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}; \
	fi; \
	rm -rf $$out/probe $$out/overlay; mkdir -p $$out/probe $$out/overlay/lib/modules; \
	cp $(PROBE_SRC) $$out/probe/; \
	echo "guest-images: building mhp_probe.ko against $$kdir"; \
	$(PROBE_MAKE) -C "$$kdir" M=$(abspath $(DS_OUT))/probe modules >$$out/probe/build.log 2>&1 || { \
		cat $$out/probe/build.log >&2; \
		echo "guest-images: the probe module for $$abi failed; log $$out/probe/build.log" >&2; exit 1; }; \
	grep -i 'warning' $$out/probe/build.log >&2 || true; \
	strip --strip-debug -o $$out/overlay/lib/modules/mhp_probe.ko $$out/probe/mhp_probe.ko; \
	mkdir -p $$out/overlay/lib/modules/dax; \
	for m in nvdimm/libnvdimm nvdimm/nd_btt nvdimm/nd_pmem nvdimm/nd_e820 \
		 dax/device_dax dax/dax_pmem dax/kmem; do \
		for f in $$out/lib/modules/$$(cat $$out/kernel.release)/kernel/drivers/$$m.ko.xz \
			 $$out/lib/modules/$$(cat $$out/kernel.release)/kernel/drivers/$$m.ko; do \
			[ -f $$f ] && cp $$f $$out/overlay/lib/modules/dax/ || true; \
		done; \
	done; \
	find $$out/overlay -exec touch -h -d @0 {} +; \
	( cd $$out/overlay && find . -mindepth 1 | LC_ALL=C sort | \
	  cpio -o -H newc -R 0:0 --reproducible --quiet ) | gzip -9 -n >$$out/overlay.cpio.gz; \
	cat $(BUILD)/initramfs.cpio.gz $$out/overlay.cpio.gz >$@.tmp; \
	mv $@.tmp $@; \
	echo "guest-images: $@ (probe module for $$(cat $$out/kernel.release))"
