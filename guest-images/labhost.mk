# SPDX-License-Identifier: GPL-2.0-or-later
# The "lab host" guest of the KVM tests (README, "Tests"), included from
# guest-images/Makefile after the Debian kernel rules:
#
#   build/labhost/initramfs.cpio.gz  busybox, labhost/init and the modules
#                                    below, taken from the same linux-image
#                                    .deb as build/vmlinuz (never installed)
#
# It boots build/vmlinuz under TCG (scripts/labhost.sh): KVM with nested
# SVM, and the host's root over 9p.

LH_OUT   := $(BUILD)/labhost
LH_STAGE := $(LH_OUT)/initramfs.d
# Module files in the .deb; labhost/init loads them in dependency order.
LH_MODS  := drivers/virtio/virtio_ring drivers/virtio/virtio \
	drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev \
	drivers/virtio/virtio_pci fs/netfs/netfs fs/fscache/fscache \
	net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p virt/lib/irqbypass \
	arch/x86/kvm/kvm drivers/crypto/ccp/ccp arch/x86/kvm/kvm-amd

.PHONY: labhost

labhost: $(LH_OUT)/initramfs.cpio.gz

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
