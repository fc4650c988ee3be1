#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Enforces the harness's one-way layering (README, "Layout"): each folder
# of harness/ may include headers from the folders named in its rule and
# from common/, nothing else. Prints every offending include as
# file:line and exits 1; exits 0 when the tree keeps the rule.
# Usage: check-layers.sh [HARNESS-DIR]
set -euo pipefail
dir=${1:-$(dirname "$0")/../harness}

# layer: the layers its files may include (itself included).
rules='
base:     base
config:   base config
proto:    base config proto
results:  base config results
analyze:  base config results analyze
run:      base config proto results run
'

declare -A may
while IFS=: read -r layer deps; do
	[ -n "$layer" ] && may[$layer]=" $(echo $deps) "
done <<<"$rules"

allowed() { # allowed FROM TO
	[[ ${may[$1]-} == *" $2 "* ]]
}

bad=0
for d in "$dir"/*/; do
	from=${d%/} from=${from##*/}
	if [ -z "${may[$from]-}" ]; then
		echo "check-layers: $d: folder '$from' has no rule in $0" >&2
		bad=1
	fi
done
# One grep over the tree: FILE:LINE:#include "layer/header.h"
while IFS=: read -r f line inc; do
	from=${f%/*} from=${from##*/}
	[ -n "${may[$from]-}" ] || continue
	inc=${inc#*\"} inc=${inc%\"*}
	to=${inc%%/*}
	allowed "$from" "$to" && continue
	echo "check-layers: $f:$line: $from/ may not include \"$inc\"" \
		"(a $to/ header; $from/ may include:${may[$from]% })" >&2
	bad=1
done < <(grep -Hno '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z_]*/[^"]*"' \
	"$dir"/*/*.[ch])
[ $bad -eq 0 ] && echo "check-layers: harness/ keeps its layering"
exit $bad
