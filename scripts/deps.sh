#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian packages mhpbench needs, skipping those already present
# (README, "The two commands"). Called from `make` (target `deps`) and, with
# --fuzz, from `make fuzz`; safe to run again: prints what it installs.
#
#   deps.sh            the packages of `make run`, `make test` and
#                      scripts/nightly.sh
#   deps.sh --fuzz     those and the fuzzing toolchain of `make fuzz`
#   deps.sh --format   clang-format, for `make format`
#   deps.sh --fresh    debootstrap, for scripts/fresh-debian.sh
#   deps.sh --list     every package named here, one a line, no install
#                      (scripts/audit-commands.sh reads it)
#
# Every external command that a script, a test or a Makefile runs must come
# from a package named here (or one they depend on) or from Debian's
# Essential set: `make test` checks it (tests/integration/deps.t).
set -euo pipefail

# Host build and run time. busybox-static and the guest kernel are NOT installed
# here: guest-images/ unpacks them from their .debs so the host's /boot and
# its busybox stay untouched.
CORE=(
  build-essential pkg-config
  apt              # apt-get download, apt-cache depends (guest-images/)
  cpio gzip
  qemu-system-x86 qemu-utils
  libjansson-dev libinih-dev libgsl-dev libcmocka-dev libpfm4-dev
  libsqlite3-dev gnuplot-nox
  gawk perl
  procps           # pgrep/pkill: the tests' "no QEMU left behind" checks
  mount            # faults-disk.t: a full tmpfs for the results
  sqlite3          # analysis.t reads the history with the sqlite3 CLI
  libpq-dev        # the PostgreSQL history (harness/analyze/history_pg.c)
  postgresql       # history-pg.t: a real server (initdb, pg_ctl, psql)
  git              # the revision baked into every result
  python3-jsonschema  # export-kcidb.t validates the KCIDB export against
                      # its schema (tests/data/kcidb/)
  chromium         # report-html.t loads the HTML report headless: DOM,
                   # console errors, phone and wide screenshots
)

# `make fuzz` (docs/fuzzing.md). Debian 12: clang 14; libclang-rt-14-dev
# holds libclang_rt.fuzzer and the sanitizer runtimes that clang links with
# -fsanitize=fuzzer,address,...; llvm gives llvm-symbolizer, without which
# reports show no file:line.
FUZZ=(clang libclang-rt-14-dev llvm)

# `make format` (the project's .clang-format).
FORMAT=(clang-format)

# scripts/fresh-debian.sh: the README's commands in a pristine Debian 12.
FRESH=(debootstrap)

case "${1:-}" in
--list) printf '%s\n' "${CORE[@]}" "${FUZZ[@]}" "${FORMAT[@]}" "${FRESH[@]}"; exit 0 ;;
--fuzz) PKGS=("${CORE[@]}" "${FUZZ[@]}") ;;
--format) PKGS=("${FORMAT[@]}") ;;
--fresh) PKGS=("${FRESH[@]}") ;;
"") PKGS=("${CORE[@]}") ;;
*) echo "usage: $0 [--fuzz | --format | --fresh | --list]" >&2; exit 2 ;;
esac

missing=()
for p in "${PKGS[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -ne 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "deps: missing packages: ${missing[*]}" >&2
    echo "deps: run 'sudo $0 $*' (or install them) and retry" >&2
    exit 3
  fi
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A stale package list makes 'install' fail on a fresh machine; refresh once.
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

[ "${1:-}" = --fuzz ] || exit 0
# A clang whose runtime is another version than the one installed here
# would fail at link time with a less clear message.
cc=${FUZZ_CC:-clang}
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
  "$cc" -x c -fsanitize=fuzzer,address,undefined -o /dev/null - 2>/dev/null; then
  echo "deps: $cc cannot link -fsanitize=fuzzer,address,undefined;" \
    "is libclang-rt-N-dev installed for clang $("$cc" -dumpversion)?" >&2
  exit 3
fi
