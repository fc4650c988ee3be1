#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks that every external command the project runs comes from a package
# that scripts/deps.sh installs (or one those depend on) or from Debian's
# Essential set, so that `make run` and `make test` work on a fresh
# Debian 12 machine (README, "The two commands"). Prints one line per
# command with the package that provides it; exits 1 naming each command
# that no such package provides, 2 on bad usage.
#
#   audit-commands.pl [--packages "p1 p2 ..."] [--verbose] [FILE ...]
#
# Without FILEs it reads the project's own: the scripts, the integration
# tests, the Makefiles and .ci/run, plus the programs the harness execs.
# --packages replaces the list of scripts/deps.sh --list (tests use it to
# show that a missing package is caught).
#
# A command is a word in command position of a shell line (start of line,
# after | ; & && || ( $( ` ! and keywords such as then/do/else, and after
# prefixes such as exec, xargs, timeout N, env VAR=...). Quoted text is
# dropped first (awk and perl programs, messages), except what $( ) runs
# inside double quotes. Make recipes are read as shell lines. Words that
# are shell builtins or keywords, functions defined in the files read,
# assignments, variables and paths into the project are not commands.
use strict;
use warnings;
use File::Basename qw(dirname);
use Cwd qw(abs_path);

my $root = abs_path(dirname($0) . '/..');
my ($pkglist, $verbose, @files);
while (@ARGV) {
	my $a = shift @ARGV;
	if ($a eq '--packages') {
		defined($pkglist = shift @ARGV) or usage();
	} elsif ($a eq '--verbose') {
		$verbose = 1;
	} elsif ($a =~ /^-/) {
		usage();
	} else {
		push @files, $a;
	}
}
@files = project_files() unless @files;

sub usage {
	print STDERR "usage: $0 [--packages \"p1 p2\"] [--verbose] [FILE ...]\n";
	exit 2;
}

# What `make run`, `make test`, `make fuzz` and scripts/nightly.sh run.
sub project_files {
	my @f = (glob("$root/scripts/*.sh"), glob("$root/tests/integration/*.t"),
		 glob("$root/tests/integration/*.sh"), glob("$root/tests/kvm/*.t"),
		 glob("$root/tests/kvm/*.sh"), glob("$root/tests/fuzz/*.sh"),
		 "$root/.ci/run", "$root/Makefile", "$root/guest-images/Makefile",
		 glob("$root/guest-images/*.mk"));
	return grep { -f $_ } @f;
}

# --- the packages: listed, their Depends closure, and Essential ---

my (%essential, %depends, %installed);
open(my $dq, '-|', 'dpkg-query', '-W', '-f',
     '${Package}\t${db:Status-Status}\t${Essential}\t${Pre-Depends}, ${Depends}\n')
	or die "audit: dpkg-query: $!\n";
while (<$dq>) {
	chomp;
	my ($p, $st, $ess, $deps) = split /\t/, $_, 4;
	next unless $st eq 'installed';
	$installed{$p} = 1;
	$essential{$p} = 1 if $ess eq 'yes';
	$depends{$p} = $deps;
}
close $dq;

# Virtual names (awk, c-compiler, ...) resolve to the installed packages
# that provide them.
my %provides;
open($dq, '-|', 'dpkg-query', '-W', '-f', '${Package}\t${Provides}\n') or die;
while (<$dq>) {
	chomp;
	my ($p, $pv) = split /\t/, $_, 2;
	next unless $installed{$p} && $pv;
	for (split /,\s*/, $pv) { s/\s*\(.*//; push @{$provides{$_}}, $p }
}
close $dq;

my @listed = defined $pkglist ? split(' ', $pkglist)
	: split(' ', `"$root/scripts/deps.sh" --list`);
die "audit: no packages listed by scripts/deps.sh --list\n" unless @listed;

# Every installed package that installing @listed pulls in, with the
# listed package it came through.
my %via;
my @queue = map { [$_, $_] } @listed;
while (my $e = shift @queue) {
	my ($p, $from) = @$e;
	my @names = $installed{$p} ? ($p) : @{$provides{$p} || []};
	for my $n (@names) {
		next if exists $via{$n};
		$via{$n} = $from;
		for my $alt (split /,\s*/, $depends{$n} // '') {
			for my $d (split /\s*\|\s*/, $alt) {
				$d =~ s/[\s(].*//;
				$d =~ s/:any$//;
				push @queue, [$d, $from] if $d ne '';
			}
		}
	}
}

# --- the commands ---

my %builtin = map { $_ => 1 } split ' ', `bash -c 'compgen -b; compgen -k'`;
$builtin{$_} = 1 for qw(done_testing);

my (%used, %funcs);
for my $f (@files) {
	open(my $fh, '<', $f) or die "audit: $f: $!\n";
	my $text = do { local $/; <$fh> };
	close $fh;
	$funcs{$1} = 1 while $text =~ /^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)/mg;
	$text = make_recipes($text) if $f =~ m{(?:^|/)(?:Makefile|[^/]*\.mk)$};
	my $n = 0;
	for my $l (split /\n/, clean($text), -1) {
		$n++;
		push @{$used{$_}}, "$f:$n" for command_words($l);
	}
}
# The harness execs these (harness/: execlp, and QEMU's default binary).
for my $c (`grep -rhoE 'exec[lv]p?\\("[a-z][a-z0-9_.+-]*"|"qemu-system-[a-z0-9_]+"' "$root/harness"`) {
	$c =~ /"([^"]+)"/ and push @{$used{$1}}, 'harness/ (exec)';
}

# A Makefile as shell text: recipe lines and $(shell ...) (the rest
# blanked, so line numbers stay), without the @+- prefixes, with $(NAME) replaced by the
# value the Makefile gives NAME (so `$(CC) ...` is read as `gcc ...`),
# make's other expansions dropped and $$ turned into $.
sub make_recipes {
	my (@out, $cont, %var);
	my $text = $_[0];
	(my $joined = $text) =~ s/\\\n/ /g;
	while ($joined =~ /^([A-Za-z_]\w*)\s*[:?+]?=\s*(.*)$/mg) {
		$var{$1} //= $2;
	}
	$var{MAKE} //= 'make';
	for my $l (split /\n/, $text, -1) {
		my $recipe = defined $cont ? $cont : $l =~ /^\t/;
		$cont = $l =~ /\\$/ ? $recipe : undef;
		if (!$recipe) {	# only what $(shell ...) runs
			my @sh = $l =~ /\$\(shell\s+((?:[^()]|\([^()]*\))*)\)/g;
			push @out, join ' ; ', map { expand_make($_, \%var) } @sh;
			next;
		}
		$l =~ s/^\t[@+-]*//;
		push @out, expand_make($l, \%var);
	}
	return join "\n", @out;
}

sub expand_make {
	my ($l, $var) = @_;
	$l =~ s/\$\$/\x01/g;
	for (1 .. 5) {
		$l =~ s/\$[\(\{]([A-Za-z_]\w*)[\)\}]/defined $var->{$1} ? $var->{$1} : '$V'/ge or last;
		$l =~ s/\$\$/\x01/g;
	}
	1 while $l =~ s/\$[\(\{][^()\{\}]*[\)\}]/\$V/g;
	$l =~ s/\$[A-Za-z@<^*?]/\$V/g;
	$l =~ s/\x01/\$/g;
	return $l;
}

# (A quoted word becomes \x02: it still takes its place as a word.)
# Shell text with comments, quoted text, here-documents and array
# literals blanked (newlines kept, so line numbers stay); what $( ) runs
# inside double quotes is kept, and continued lines are joined.
sub clean {
	my ($s) = @_;
	my ($out, $pending, @st, $heredoc) = ('', 0);
	my @lines = split /\n/, $s, -1;
	for (my $ln = 0; $ln < @lines; $ln++) {
		my $l = $lines[$ln];
		if (defined $heredoc) {
			$heredoc = undef if $l =~ /^\t*\Q$heredoc\E\s*$/;
			$out .= "\n";
			next;
		}
		for (my $i = 0; $i < length $l; $i++) {
			my $c = substr $l, $i, 1;
			my $top = @st ? $st[-1] : '';
			if ($top ne "'" && substr($l, $i, 3) eq '$((') {	# arithmetic
				$i = arith_end($l, $i + 1);
				next;
			}
			if ($top eq "'") {
				if ($c eq "'") { pop @st; $out .= "\x02" }
				next;
			}
			if ($top eq '"') {
				if ($c eq '\\') { $i++; next }
				if ($c eq '"') { pop @st; $out .= "\x02"; next }
				if (substr($l, $i, 2) eq '$(') { push @st, '$('; $out .= ' $( '; $i++ }
				next;
			}
			if ($c eq '\\') { $i++; $out .= ' '; next }
			if ($c eq "'" || $c eq '"') { push @st, $c; next }
			if ($top eq '$(' && $c eq ')') { pop @st; $out .= ' ) '; next }
			if ($c eq '#' && ($i == 0 || substr($l, $i - 1, 1) =~ /[\s;]/)) { last }
			if (substr($l, $i) =~ /^<<-?\s*['"]?([A-Za-z_]\w*)['"]?/) {
				$heredoc = $1;
				$i += length($&) - 1;
				$out .= ' ';
				next;
			}
			$out .= $c;
		}
		# A continued line joins the next one; its newline comes after
		# that one, so line numbers stay.
		if ($l =~ /\\$/ && $ln + 1 < @lines) { $out .= ' '; $pending++; next }
		$out .= "\n" x ($pending + 1);
		$pending = 0;
	}
	# Arithmetic, $(( )) and (( )), holds no commands.
	$out =~ s/\$?\(\((?:[^()]|\([^()]*\))*\)\)/ /g;
	# NAME=( words ... ): the words are data, not commands.
	$out =~ s/\b[A-Za-z_]\w*=\(([^()]*)\)/' ' . ("\n" x ($1 =~ tr{\n}{}))/ge;
	return $out;
}

# The index of the last ")" of the (( )) that opens at @i.
sub arith_end {
	my ($l, $i) = @_;
	my $depth = 0;
	for (; $i < length $l; $i++) {
		my $c = substr $l, $i, 1;
		$depth++ if $c eq '(';
		return $i if $c eq ')' && --$depth == 0;
	}
	return length $l;
}

sub command_words {
	my ($s) = @_;
	my @w;
	$s =~ s/\d*[<>]+&\d*-?|&>+/ >/g;		# 2>&1, >&2, &>file
	$s =~ s/\{[^{}\s]*(?:\.\.|,)[^{}\s]*\}/ /g;	# {1..300}, {a,b}
	# A command substitution is a command line of its own, and a word in
	# the line around it.
	my @lines = ($s);
	for (my $k = 0; $k < @lines; $k++) {
		1 while $lines[$k] =~ s/\$\(([^()]*)\)|`([^`]*)`/push @lines, $1 \/\/ $2; "\x02"/e;
	}
	for my $line (@lines) {
		# A case label, "pat|pat)", is no command.
		$line =~ s/^\s*\(?[\w.*\x02\/-]+(?:\s*\|\s*[\w.*\x02\/-]+)*\)(?!\))/ /;
		# Split at the operators that start a new command; braces
		# only where they group commands (a word of their own).
		for my $seg (split /\|\||&&|[|;&]|\$\(|\(|\)|(?<!\S)[{}](?!\S)/, $line) {
			my $c = first_command($seg);
			push @w, $c if defined $c;
		}
	}
	return @w;
}

sub first_command {
	my @t = split ' ', $_[0];
	while (@t) {
		my $t = shift @t;
		next if $t =~ /^[A-Za-z_]\w*=/;	# VAR=value cmd
		next if $t =~ /^(then|do|else|elif|if|while|until|!|time|exec|command|nice|setsid|sudo|xargs|nohup)$/;
		if ($t eq 'timeout') { shift @t while @t && $t[0] =~ /^(-|\d)/ }
		if ($t eq 'env') { shift @t while @t && $t[0] =~ /=|^-/ }
		return is_command_word($t, \@t) ? $t : undef;
	}
	return undef;
}

sub is_command_word {
	my ($t, $rest) = @_;
	return 0 if $t =~ /^\$|^\.|^\[|^-|[*?=\$<>]/;	# variables, paths, tests
	return 0 if @$rest && $rest->[0] =~ /^\)/;	# case label
	return 0 unless $t =~ m{^/?[A-Za-z0-9_][A-Za-z0-9_.+/-]*$};
	return 0 if $t =~ m{/} && $t !~ m{^/(usr/)?s?bin/};	# project paths
	return 1;
}

# --- the verdicts ---

# The owner of every file in a bin directory, from dpkg's file lists
# (one read, instead of a dpkg-query -S per command).
my %owner;
for my $list (glob('/var/lib/dpkg/info/*.list')) {
	my ($pkg) = $list =~ m{/([^/:]+)(?::\w+)?\.list$};
	open(my $fh, '<', $list) or next;
	while (<$fh>) {
		chomp;
		$owner{$_} //= $pkg if m{^(/usr)?/s?bin/[^/]+$};
	}
	close $fh;
}

sub package_of {
	my ($cmd) = @_;
	my $path;
	if ($cmd =~ m{^/}) {
		$path = $cmd if -x $cmd;
	} else {
		for my $d (split /:/, $ENV{PATH} . ':/usr/sbin:/sbin') {
			if (-f "$d/$cmd" && -x _) { $path = "$d/$cmd"; last }
		}
	}
	return (undef, undef) unless defined $path;
	my @cands = ($path, abs_path($path));
	for my $p (@cands[0, 1]) {
		(my $x = $p) =~ s{^/usr/}{/};
		(my $y = $p) =~ s{^/(s?bin)/}{/usr/$1/};
		push @cands, $x, $y;
	}
	for my $p (@cands) {
		return ($owner{$p}, $path) if defined $p && $owner{$p};
	}
	return (undef, $path);
}

my $bad = 0;
for my $cmd (sort keys %used) {
	next if $builtin{$cmd} || $funcs{$cmd};
	my $where = $used{$cmd}[0];
	my ($pkg, $path) = package_of($cmd);
	if (!defined $path && grep({ $_ eq $cmd } @listed) && !$installed{$cmd}) {
		# An optional group's tool (deps.sh --fuzz, --format, --fresh)
		# that is not installed here: its package of the same name is
		# listed, but its files cannot be checked without it.
		print "audit: note: $cmd ($where) is not installed here; scripts/deps.sh lists package $cmd\n";
	} elsif (!defined $path) {
		print "audit: $cmd ($where): not found on this machine; add the package that provides it to scripts/deps.sh\n";
		$bad = 1;
	} elsif (!defined $pkg) {
		print "audit: $cmd ($where): $path belongs to no Debian package; scripts/deps.sh cannot install it\n";
		$bad = 1;
	} elsif ($essential{$pkg}) {
		print "ok: $cmd: $pkg (Essential)\n" if $verbose;
	} elsif (exists $via{$pkg}) {
		my $v = $via{$pkg} eq $pkg ? '' : " via $via{$pkg}";
		print "ok: $cmd: $pkg (scripts/deps.sh$v)\n" if $verbose;
	} else {
		print "audit: $cmd ($where): package $pkg is neither installed by scripts/deps.sh nor Essential; add it to scripts/deps.sh\n";
		$bad = 1;
	}
}
print "audit: every command comes from scripts/deps.sh or Debian's Essential set\n" unless $bad;
exit $bad;
