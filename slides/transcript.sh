#!/bin/sh
# transcript.sh: run shell command lines and print them as a terminal shows
# them, for the slides' ```{.run} blocks (see mmaplab.lua).
#
#   printf '%s\n' './fork_share' './fork_share -p' | sh slides/transcript.sh
#
# Run from the top of the project.  Each line runs in one fresh directory
# that holds links to the programs of build/solutions/*/ and slides/build/bin/,
# so "./fork_share" works as it does in the lab.  A line that does not exit 0
# is followed by "[exit status N]" (and the signal's name, if one killed it);
# the filter decides whether that was expected.  Every line gets 10 seconds.
set -eu
exec 2>&1

top=$(pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/transcript.XXXXXX")
trap 'rm -rf "$dir"' EXIT
for prog in "$top"/build/solutions/*/* "$top"/slides/build/bin/*; do
	if [ -f "$prog" ] && [ -x "$prog" ]; then
		ln -s "$prog" "$dir/${prog##*/}"
	fi
done
cd "$dir"
ulimit -c 0

while IFS= read -r line; do
	[ -n "$line" ] || continue
	printf '$ %s\n' "$line"
	status=0
	timeout -s KILL 10 sh -c "$line" </dev/null || status=$?
	if [ "$status" -gt 128 ]; then
		echo "[exit status $status: killed by SIG$(kill -l "$status")]"
	elif [ "$status" -ne 0 ]; then
		echo "[exit status $status]"
	fi
done
