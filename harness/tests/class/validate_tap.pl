#!/usr/bin/perl
# validate_tap.pl FILE: checks a TAP report with TAP::Parser, the parser of
# Perl's `prove` (Debian's perl).  The stream must declare TAP version 13,
# have a plan that matches its test points, numbered in order, no parse
# error, and a YAML block that parses after every failed point and nowhere
# else.  Prints "tests=N passed=P failed=F yaml=Y" and exits 0, or says what
# is wrong and exits 1.
use strict;
use warnings;
use TAP::Parser;

@ARGV == 1 or die "usage: validate_tap.pl FILE\n";
my $file = $ARGV[0];
open my $fh, '<:raw', $file or die "validate_tap.pl: $file: $!\n";
my $parser = TAP::Parser->new({ source => $fh });
my (@problems, $last, $expect_yaml);
my ($yaml, $n) = (0, 0);
while (defined(my $result = $parser->next)) {
	if ($result->is_yaml) {
		push @problems, "a YAML block after a point that passed" unless $expect_yaml;
		push @problems, "a YAML block that is not a mapping"
			unless ref $result->data eq 'HASH' && defined $result->data->{message};
		$yaml++;
		$expect_yaml = 0;
		next;
	}
	push @problems, "no YAML block after failed point $last" if $expect_yaml;
	$expect_yaml = 0;
	next unless $result->is_test;
	$n++;
	push @problems, "point " . $result->number . " out of order" if $result->number != $n;
	push @problems, "point $n has a directive" if $result->has_directive;
	$expect_yaml = !$result->is_ok;
	$last = $n;
}
push @problems, "no YAML block after failed point $last" if $expect_yaml;
push @problems, $parser->parse_errors;
push @problems, "version " . $parser->version . ", not 13" if $parser->version != 13;
push @problems, "the plan does not match the points" unless $parser->is_good_plan;
if (@problems) {
	print "$file: $_\n" for @problems;
	exit 1;
}
printf "tests=%d passed=%d failed=%d yaml=%d\n", $parser->tests_run,
	scalar($parser->passed), scalar($parser->failed), $yaml;
exit 0;
