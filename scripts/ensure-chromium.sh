#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the browser tests. Without root it cannot be installed: the
# browser tests then skip loudly, except under CI=true, where tests/browser/conftest.py fails them.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Chromium from Debian's packages for the browser tests."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null
  [ -x /usr/bin/chromium ] && exit 0
fi
cat >&2 <<'MSG'
###########################################################################
#  /usr/bin/chromium is missing and could not be installed (no root?).   #
#  THE BROWSER TESTS WILL BE SKIPPED. Install Debian's chromium package.  #
###########################################################################
MSG
exit 0
