#!/usr/bin/env bash
# Installs the npm packages named in package-lock.json and copies NHS.UK frontend's compiled files into
# heard/static/vendor/ (git-ignored), where Django's static files find them. Installs Node.js from Debian's
# packages when npm is missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "npm is missing: installing Node.js from Debian's packages."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "Heard needs npm (Node.js) to install the NHS.UK frontend assets; install nodejs and npm." >&2
    exit 1
  fi
fi

npm ci --silent --no-audit --no-fund 2>&1 | grep -v 'Unknown user config' || true
test -d node_modules/nhsuk-frontend || { echo "npm ci did not install nhsuk-frontend" >&2; exit 1; }

src=node_modules/nhsuk-frontend/dist/nhsuk
dest=heard/static/vendor
rm -rf "$dest"
mkdir -p "$dest/nhsuk" "$dest/axe"
cp "$src/nhsuk-frontend.min.css" "$src/nhsuk-frontend.min.js" "$dest/nhsuk/"
cp -r "$src/assets" "$dest/nhsuk/assets"
cp node_modules/axe-core/axe.min.js "$dest/axe/"
echo "NHS.UK frontend $(node -p "require('./node_modules/nhsuk-frontend/package.json').version") copied to $dest."
