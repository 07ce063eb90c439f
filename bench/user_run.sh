# user_run.sh, sourced by the grade benches: how they run a command as an
# ordinary uid.  As root, through setpriv as USER_UID (3130013); as anybody
# else, as the caller.  Either way under prlimit --nproc=256 (a shared
# server's hard limit), with $work/user (made here) as TMPDIR.  Sets
# user_run, the words to put before the command.
as_user=
if [ "$(id -u)" -eq 0 ]; then
	uid=${USER_UID:-3130013}
	as_user="setpriv --reuid=$uid --regid=$uid --clear-groups"
	chmod 755 "$work" && mkdir "$work/user" && chown "$uid:$uid" "$work/user"
else
	mkdir "$work/user"
fi
user_run="$as_user prlimit --nproc=256 env TMPDIR=$work/user"
