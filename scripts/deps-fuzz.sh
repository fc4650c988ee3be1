#!/usr/bin/env bash
# Installs what `make fuzz` needs on top of scripts/deps.sh: clang and its
# runtime libraries (libFuzzer, ASan, UBSan), skipping what is present.
# Safe to run again: prints what it installs.
set -euo pipefail

# Debian 12: clang 14; libclang-rt-14-dev holds libclang_rt.fuzzer and the
# sanitizer runtimes that clang links with -fsanitize=fuzzer,address,...;
# llvm gives llvm-symbolizer, without which reports show no file:line.
PKGS=(clang libclang-rt-14-dev llvm)

missing=()
for p in "${PKGS[@]}"; do
  st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$st" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -ne 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "deps-fuzz: missing packages: ${missing[*]}" >&2
    echo "deps-fuzz: run 'sudo $0' (or install them) and retry" >&2
    exit 3
  fi
  echo "deps-fuzz: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A stale package list makes 'install' fail on a fresh machine; refresh once.
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

# A clang whose runtime is another version than the one installed here
# would fail at link time with a less clear message.
cc=${FUZZ_CC:-clang}
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
  "$cc" -x c -fsanitize=fuzzer,address,undefined -o /dev/null - 2>/dev/null; then
  echo "deps-fuzz: $cc cannot link -fsanitize=fuzzer,address,undefined;" \
    "is libclang-rt-N-dev installed for clang $("$cc" -dumpversion)?" >&2
  exit 3
fi
