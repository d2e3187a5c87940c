#!/bin/sh
# Rebuilds static/vendor/bootstrap/ (the trimmed CSS, the plugins' JS, the class list) from npm.
# Needs node and npm; the packages go into a scratch folder outside the repository:
#   sh deploy/vendor/build.sh [SCRATCH_DIR]      (default: a new temporary folder)
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-$(mktemp -d)}
mkdir -p "$WORK"
cd "$WORK"
[ -f package.json ] || echo '{"private": true, "type": "module"}' > package.json
npm install --no-audit --no-fund --silent bootstrap@5.3.9 @popperjs/core@2.11.8 purgecss@8.0.0 esbuild@0.28.2
cp "$REPO/deploy/vendor/build.mjs" build.mjs
node build.mjs "$REPO"
