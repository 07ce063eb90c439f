#!/usr/bin/env bash
# setup.sh: Gradescope runs this once, as root, when it builds the
# autograder's image (an Ubuntu or Debian image: apt-get is there).  It
# installs from the distribution what the grader needs to build and to
# grade, then builds the grader in mmaplab/ beside this script.
# MMAPLAB_NO_APT=1 skips apt-get (tests build the zip's grader this way).
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${MMAPLAB_NO_APT:-}" ]; then
	apt-get update -qq
	# bubblewrap: the grader's sandbox, used when the image allows namespaces.
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		gcc libc6-dev make pkg-config libjansson-dev bubblewrap
fi
make -C mmaplab all
mmaplab/bin/grade --help > /dev/null
echo "setup.sh: the grader is built: $(pwd)/mmaplab/bin/grade"
