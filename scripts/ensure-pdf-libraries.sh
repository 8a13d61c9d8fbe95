#!/usr/bin/env bash
# Makes sure the libraries WeasyPrint prints report PDFs with are there: Pango (required; Debian-based images
# usually have it) and HarfBuzz's subsetter (WeasyPrint trims fonts with it; without it WeasyPrint falls back to
# fontTools, slower, with a warning on every PDF). Without root they cannot be installed: Heard then says so
# here, and only the PDF downloads fail, with WeasyPrint's own message; the web page and Word file still work.
set -uo pipefail
missing=()
has() { ldconfig -p 2>/dev/null | grep -q "$1"; }
has 'libpango-1.0.so.0' && has 'libpangoft2-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
has 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -q . || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} = 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} from Debian's packages, for report PDFs."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
fi
cat >&2 <<MSG
###########################################################################
#  Missing for report PDFs, and could not be installed (no root?):        #
#  ${missing[*]}
#  Install them from Debian's packages; PDF downloads need Pango.         #
###########################################################################
MSG
exit 0
