#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Input of tests/integration/deps.t: pgrep and pkill appear here only as
# words that are not commands, so the audit must not ask for procps.
pgrep_wrap() { echo "pgrep is not run here; neither is pkill"; }
awk '{ pkill = $1; print pkill }' /dev/null
cat >/dev/null <<EOF
pkill -f qemu
EOF
case $x in pkill) echo $((pgrep + 1)) ;; esac
pgrep_wrap # pkill in a comment
echo "$(printf '%s' "pkill") pgrep"
