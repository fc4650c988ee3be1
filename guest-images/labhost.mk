# SPDX-License-Identifier: GPL-2.0-or-later
# The "lab host" guest of the KVM tests (README, "Tests"), included from
# guest-images/Makefile after the Debian kernel rules:
#
#   build/labhost/initramfs.cpio.gz  busybox, labhost/init and the modules
#                                    below, taken from the same linux-image
#                                    .deb as build/vmlinuz (never installed)
#   build/labhost/qemu/              the QEMU that runs the lab host:
#                                    qemu-system-x86 of bookworm-backports,
#                                    unpacked from its .debs (never
#                                    installed)
#
# It boots build/vmlinuz under TCG (scripts/labhost.sh): KVM with nested
# SVM, and the host's root over 9p. Bookworm's QEMU 7.2 emulates SVM well
# enough to start nested guests but lost them now and then (a vCPU that
# took no interrupt or NMI again); the backports' QEMU (10.0) did not, and
# runs them faster (README, "KVM on a lab host"). Only the lab host runs
# it: mhpbench inside uses this machine's own QEMU, as a lab's would.

LH_OUT   := $(BUILD)/labhost
LH_STAGE := $(LH_OUT)/initramfs.d
# Module files in the .deb; labhost/init loads them in dependency order.
LH_MODS  := drivers/virtio/virtio_ring drivers/virtio/virtio \
	drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev \
	drivers/virtio/virtio_pci fs/netfs/netfs fs/fscache/fscache \
	net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p virt/lib/irqbypass \
	arch/x86/kvm/kvm drivers/crypto/ccp/ccp arch/x86/kvm/kvm-amd

LH_QEMU  := $(LH_OUT)/qemu
LH_SUITE := bookworm-backports
LH_QEMU_PKGS := qemu-system-x86 qemu-system-common qemu-system-data

.PHONY: labhost

labhost: $(LH_OUT)/initramfs.cpio.gz $(LH_QEMU)/usr/bin/qemu-system-x86_64

# apt with its own sources list and state under build/labhost/apt, so the
# machine's sources stay as they are; the mirror is the one this machine
# uses for bookworm (a one-line sources.list, or deb822 .sources). The
# .debs are kept in build/deb like the kernels.
# Every library the binary needs must be on this machine already (they
# are those of bookworm's QEMU, which scripts/deps.sh installs): ldd says.
$(LH_QEMU)/usr/bin/qemu-system-x86_64: labhost.mk | $(DEBS)
	@set -e; apt=$(abspath $(LH_OUT))/apt; rm -rf $$apt $(LH_QEMU).tmp; \
	mkdir -p $$apt/lists/partial $$apt/cache/archives/partial $(LH_QEMU).tmp; \
	mirror=$$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | \
		awk '$$1 == "deb" && $$3 == "bookworm" { print $$2; exit }'); \
	[ -n "$$mirror" ] || mirror=$$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | \
		awk '/^URIs:/ { u = $$2 } /^Suites:.*bookworm( |$$)/ && u !~ /security/ { print u; exit }'); \
	echo "deb $${mirror:-http://deb.debian.org/debian} $(LH_SUITE) main" > $$apt/sources.list; \
	o="-o Dir::Etc::sourcelist=$$apt/sources.list -o Dir::Etc::sourceparts=- \
	   -o Dir::State::Lists=$$apt/lists -o Dir::Cache=$$apt/cache -o APT::Sandbox::User=root"; \
	echo "guest-images: the lab host's QEMU from $(LH_SUITE) ($${mirror:-http://deb.debian.org/debian})"; \
	apt-get $$o update -qq; \
	( cd $(DEBS) && apt-get $$o download -qq $(foreach p,$(LH_QEMU_PKGS),$(p)/$(LH_SUITE)) ); \
	for p in $(LH_QEMU_PKGS); do \
		v=$$(apt-cache $$o policy $$p | awk '/Candidate:/ { print $$2 }'); \
		deb=$$(ls $(DEBS)/$${p}_$$(echo "$$v" | sed 's/:/%3a/')_*.deb); \
		dpkg-deb -x "$$deb" $(LH_QEMU).tmp; \
		echo "$$p=$$v" >> $(LH_QEMU).tmp/versions; \
	done; \
	missing=$$(ldd $(LH_QEMU).tmp/usr/bin/qemu-system-x86_64 | awk '/not found/ { print $$1 }'); \
	[ -z "$$missing" ] || { echo "guest-images: the lab host's QEMU needs libraries this machine lacks: $$missing" >&2; exit 1; }; \
	rm -rf $$apt $(LH_QEMU); mv $(LH_QEMU).tmp $(LH_QEMU); \
	echo "guest-images: $@ ($$($@ --version | head -n1))"

$(LH_OUT)/initramfs.cpio.gz: $(BUILD)/vmlinuz $(BUILD)/busybox labhost/init labhost.mk
	@set -e; abi=$$(cat $(ABI_FILE)); rel=$$(cat $(BUILD)/kernel.release); \
	deb=$$(ls $(DEBS)/linux-image-$$abi-amd64_*.deb $(DEBS)/linux-image-$$abi-amd64-unsigned_*.deb 2>/dev/null | head -n1); \
	[ -n "$$deb" ] || { echo "guest-images: no .deb for linux-image-$$abi-amd64 in $(DEBS)" >&2; exit 1; }; \
	rm -rf $(LH_STAGE) $(LH_OUT)/mods.x; mkdir -p $(LH_OUT)/mods.x; \
	dpkg-deb --fsys-tarfile "$$deb" | tar -x -C $(LH_OUT)/mods.x \
		$(foreach m,$(LH_MODS),./lib/modules/$$rel/kernel/$(m).ko); \
	for d in bin sbin usr/bin usr/sbin dev proc sys tmp run out newroot lib/modules/labhost; do \
		mkdir -p $(LH_STAGE)/$$d; \
	done; \
	for m in $(LH_MODS); do \
		install -m 0644 $(LH_OUT)/mods.x/lib/modules/$$rel/kernel/$$m.ko $(LH_STAGE)/lib/modules/labhost/; \
	done; \
	rm -rf $(LH_OUT)/mods.x; \
	install -m 0755 $(BUILD)/busybox $(LH_STAGE)/bin/busybox; \
	install -m 0755 labhost/init $(LH_STAGE)/init; \
	for a in $$($(BUILD)/busybox --list-full); do \
		[ -e $(LH_STAGE)/$$a ] || [ -L $(LH_STAGE)/$$a ] || ln -s /bin/busybox $(LH_STAGE)/$$a; \
	done; \
	find $(LH_STAGE) -exec touch -h -d @0 {} +; \
	( cd $(LH_STAGE) && find . -mindepth 1 | LC_ALL=C sort | \
	  cpio -o -H newc -R 0:0 --reproducible --quiet ) | gzip -9 -n > $@.tmp; \
	mv $@.tmp $@; rm -rf $(LH_STAGE); \
	echo "guest-images: $@ ($$(stat -c %s $@) bytes)"
