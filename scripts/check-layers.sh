#!/usr/bin/env bash
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
for f in "$dir"/*/*.[ch]; do
	from=${f%/*} from=${from##*/}
	if [ -z "${may[$from]-}" ]; then
		echo "check-layers: $f: folder '$from' has no rule in $0" >&2
		bad=1
		continue
	fi
	while IFS=: read -r line inc; do
		to=${inc%%/*}
		allowed "$from" "$to" && continue
		echo "check-layers: $f:$line: $from/ may not include \"$inc\"" \
			"(a $to/ header; $from/ may include:${may[$from]% })" >&2
		bad=1
	done < <(grep -no '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z_]*/[^"]*"' "$f" |
		sed 's/:.*"\(.*\)"$/:\1/')
done
[ $bad -eq 0 ] && echo "check-layers: harness/ keeps its layering"
exit $bad
