#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Rebuilds the seed corpora in tests/fuzz/corpus/ from the repository's own
# data, and from the QMP and agent logs of real runs given as arguments:
#   tests/fuzz/seeds.sh [RESULTS/RUN ...]
# qmp:     what QEMU sent ("< " lines) in tests/data/qmp/*.log and qmp-N.log
# agent:   the guest's lines ("< ") of agent-N.log, as logged, and as one
#          session renumbered to the ids fuzz_agent.c's calls use
# job:     tests/jobs/*.job, tests/data/jobs/*.job, bench/*.job, bench/evidence/*.job
# linebuf: a few framings (first byte: line limit - 1, second: chunking)
# Existing seeds are kept: the corpora grow, they are never rewritten.
set -euo pipefail
cd "$(dirname "$0")/../.."
C=tests/fuzz/corpus
mkdir -p $C/qmp $C/agent $C/job $C/linebuf

# from_log LOG OUT: the "< " lines of a transcript, without the prefix.
from_log() { sed -n 's/^< //p' "$1" >"$2"; }

for f in tests/data/qmp/*.log; do
	from_log "$f" "$C/qmp/data-$(basename "$f" .log)"
done
for f in tests/jobs/*.job tests/data/jobs/*.job bench/*.job bench/evidence/*.job; do
	d=$(basename "$(dirname "$f")")
	cp "$f" "$C/job/$d-$(basename "$f")"
done

# The calls fuzz_agent.c makes after hello, in order (ids 2..10).
session_ops='uevents_clear meminfo blocks wait_blocks online offline hog oom_status poweroff'

for run in "$@"; do
	r=$(basename "$(readlink -f "$run")")
	for f in "$run"/qmp-*.log; do
		[ -e "$f" ] && from_log "$f" "$C/qmp/run-$r-$(basename "$f" .log)"
	done
	for f in "$run"/agent-*.log; do
		[ -e "$f" ] || continue
		from_log "$f" "$C/agent/run-$r-$(basename "$f" .log)"
		# The first reply to each op, renumbered: hello is id 1, then
		# one id per op of $session_ops; ops the run never made are
		# left out (their calls then fail on EOF).
		perl -e '
			my @ops = ("hello", split / /, $ARGV[0]);
			my (%op, %first);
			open my $f, "<", $ARGV[1] or die;
			while (<$f>) {
				$op{$2} = $1 if /^> .*"op":"(\w+)".*"id":(\d+)/;
				next unless /^< (\{"id":(\d+),"ok":.*)$/;
				my ($line, $id) = ($1, $2);
				$first{$op{$id}} //= $line if defined $op{$id};
			}
			for my $i (0 .. $#ops) {
				my $l = $first{$ops[$i]} // next;
				$l =~ s/^\{"id":\d+/{"id":@{[$i + 1]}/;
				print "$l\n";
			}' "$session_ops" "$f" \
			>"$C/agent/session-$r-$(basename "$f" .log)"
	done
done

# The lines docs/agent-protocol.md shows, and the echo it describes.
cat >"$C/agent/doc-lines" <<'END'

{"id":null,"ok":true,"ready":true,"agent_version":1}
d": 1, "op": "hello"}
{"id": 2, "op": "hello"}
{"id":null,"ok":false,"errno":22,"error":"bad JSON: '[' or '{' expected near '\":\"'"}
{"id":1,"ok":true,"agent_version":1,"kernel_release":"5.10.0","block_size_bytes":134217728,"memmap_on_memory":null,"auto_online_blocks":null,"nodes":[0],"now_ns":1}
{"id":2,"ok":true,"dropped":0,"lost":3}
{"id":3,"ok":true,"meminfo":{"MemTotal":530916,"MemFree":400000,"MemAvailable":410000,"HugePages_Total":0},"pcp_free_kib":-1,"ts_ns":99}
{"id":4,"ok":true,"blocks":[{"id":0,"state":"online","zones":"DMA","node":0,"phys_index":0},{"id":32,"state":"offline","zones":"Normal Movable","node":-1,"phys_index":32}],"ts_ns":5}
{"id":5,"ok":false,"errno":110,"error":"timed out","events":[{"block":32,"ts_ns":7},{"block":33,"ts_ns":9}],"acpi_ts_ns":6}
{"id":6,"ok":false,"errno":16,"error":"Device or resource busy","block":32,"ns":1234,"state":"online","zones":null}
{"id":7,"ok":false,"errno":2,"error":"No such file or directory"}
{"id":8,"ok":true,"pid":98,"hog_kib":300000,"memfree_kib":32768,"min_free_kbytes":1024}
{"id":9,"ok":true,"oom_kill":1,"hog_pid":98,"hog_alive":false,"hog_signal":9,"kmsg":["Out of memory: Killed process 98 (mhp-hog)"]}
{"id":10,"ok":true}
{"id":null,"ok":false,"errno":90,"error":"line longer than 65536 bytes"}
{"id":3,"op":"online","block":32,"zone":"movable","inject_delay_us":20000,"timeout_ms":58999}
{"id":4,"op":"wait_blocks","action":"add","count":1,"timeout_ms":1}
{"id":5,"op":"hog","free_kib":32768}
END

printf '\017\003{"return": {}, "id": 1}\r\n%s\nshort\n\r\n\n%s' \
	"$(printf 'x%.0s' {1..40})" 'tail without newline' >$C/linebuf/mixed
printf '\007\020%s\n%s\r\n12345678\n1234567\r\n' \
	123456789 12345678 >$C/linebuf/limit
printf '\001\000a\nbb\nccc\n\r\n' >$C/linebuf/bytewise
printf '\377\005%s' "$(printf 'y%.0s' {1..300})" >$C/linebuf/long-tail
