# mkskel.awk: turn a reference solution into the student's skeleton, so the two
# can never drift.  `make labs` runs it on every file of solutions/.
#
#   /* BEGIN SOLUTION */ ... /* END SOLUTION */   dropped (the student's work)
#   //> text                                       becomes "text" (the TODOs)
#
# Everything else is copied as it is.  Unbalanced markers are an error.
function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}
/\/\* BEGIN SOLUTION \*\// { if (inside) fail("BEGIN SOLUTION inside another"); inside = 1; next }
/\/\* END SOLUTION \*\//   { if (!inside) fail("END SOLUTION without BEGIN"); inside = 0; next }
inside { next }
/^[ \t]*\/\/>/ {
	at = index($0, "//>")
	rest = substr($0, at + 3)
	if (substr(rest, 1, 1) == " ")
		rest = substr(rest, 2)
	print substr($0, 1, at - 1) rest
	next
}
{ print }
END { if (!failed && inside) fail("BEGIN SOLUTION never ended") }
