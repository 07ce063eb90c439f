#!/bin/sh
# situations.sh: bin/grade grades solutions/ (full marks, exit 0) in the set-ups
# an instructor meets: as root in a chroot (a bind of / in a private mount
# namespace, enough for /proc/self/exe to name the outside path); as root
# in a container (private /tmp, no CAP_SYS_ADMIN); as root with a TMPDIR
# only root may enter (libpam-tmpdir); as an ordinary uid
# under low hard limits (the sandbox line says which were lowered); as an
# ordinary uid in a chroot, where the kernel refuses user namespaces (the
# sandbox line says so).  Needs root; every grading bounded by
# timeout -s KILL, every ordinary one by prlimit --nproc=256.
# Usage: situations.sh UID  (run from the project's folder)
set -u
uid=${1:?usage: situations.sh UID}
top=$(pwd)
fails=0
[ "$(id -u)" -eq 0 ] || { echo "situations: SKIPPED: needs root (chroot, setpriv)"; exit 0; }
# Outside /tmp: the container case has a /tmp of its own.
mkdir -p build && work=$(mktemp -d "$top/build/situations.XXXXXX")
chmod 755 "$work"
# A readable copy of solutions/, outside any 0700 folder.
cp -r solutions "$work/sol" && chmod -R a+rX "$work/sol"
mkdir "$work/user" && chown "$uid:$uid" "$work/user"

# check NAME EXPECTED-IN-SANDBOX-LINE COMMAND...: full marks, exit 0, and
# the sandbox line holds the words given ("" for any).
check() {
	name=$1 want=$2; shift 2
	out=$("$@" 2>&1); st=$?
	score=$(printf '%s\n' "$out" | sed -n 's/^Score: //p')
	line=$(printf '%s\n' "$out" | sed -n 's/^sandbox: //p')
	if [ "$st" -ne 0 ] || [ -z "$score" ] || [ "${score%/*}" != "${score#*/}" ]; then
		echo "situations: $name: exit $st, score '${score:-none}', not full marks:"
		printf '%s\n' "$out" | grep -v '^  PASS' | head -20
		fails=$((fails + 1))
	elif [ -n "$want" ] && ! printf '%s' "$line" | grep -qF "$want"; then
		echo "situations: $name: the sandbox line lacks \"$want\": $line"
		fails=$((fails + 1))
	else
		echo "situations: $name: $score (sandbox: $line)"
	fi
}
# Root in a chroot: / bound on a folder of its own, entered by chroot.
root_fs="$work/root"
mkdir "$root_fs"
check "root in a chroot" "own uid" timeout -s KILL 300 unshare -m sh -c \
	"mount --make-rprivate / && mount --rbind / '$root_fs' && \
	 chroot '$root_fs' sh -c 'cd \"$top\" && bin/grade \"$work/sol\"'"
# An ordinary uid in a chroot: no user namespace there; the line says so.
check "uid $uid in a chroot" "refused by the kernel: user namespaces" \
	timeout -s KILL 300 unshare -m sh -c \
	"mount --make-rprivate / && mount --rbind / '$root_fs' && \
	 chroot '$root_fs' setpriv --reuid=$uid --regid=$uid --clear-groups \
	 prlimit --nproc=256 env TMPDIR='$work/user' sh -c 'cd \"$top\" && bin/grade \"$work/sol\"'"
# Root in a Docker-style container: a private /tmp, no user namespaces,
# no CAP_SYS_ADMIN (so no mount namespace either: the line says so).
check "root in a container" "submissions NOT hidden" timeout -s KILL 300 unshare -m sh -c \
	"mount --make-rprivate / && mount -t tmpfs container-tmp /tmp && \
	 exec setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin bin/grade '$work/sol'"
# Root with a 0700 TMPDIR.
mkdir -m 700 "$work/private"
check "root, TMPDIR 0700" "own uid" env TMPDIR="$work/private" timeout -s KILL 300 \
	bin/grade "$work/sol"
# An ordinary uid under low hard limits (processes, open files, address space).
check "uid $uid, hard limits nproc 256, nofile 64, as 768 MiB" \
	"open files 64 (wanted 256)" \
	env TMPDIR="$work/user" timeout -s KILL 300 setpriv --reuid="$uid" --regid="$uid" \
	--clear-groups prlimit --nproc=256 --nofile=64 --as=805306368 bin/grade "$work/sol"
# An ordinary uid as the default gives it: the namespace layer.
check "uid $uid, prlimit --nproc=256" "user namespace" env TMPDIR="$work/user" \
	timeout -s KILL 300 setpriv --reuid="$uid" --regid="$uid" --clear-groups \
	prlimit --nproc=256 bin/grade "$work/sol"

rm -rf "$work"
[ "$fails" -eq 0 ] || { echo "situations: $fails failed"; exit 1; }
