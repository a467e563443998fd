#!/bin/sh
# Copy the pinned front-end files from frontend/node_modules into src/nabolag/web/static/vendor/.
# Usage (from the repository root or frontend/):  sh frontend/vendor.sh
# To upgrade: change a version in frontend/package.json, run `npm install --ignore-scripts` in frontend/,
# run this script, update static/vendor/README.md, and check the pages in a browser (make test).
# The web app never runs npm: it serves the copied files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest="$here/../src/nabolag/web/static/vendor"
cd "$here"
npm ci --ignore-scripts --no-audit --no-fund >/dev/null

version() { node -p "require('./node_modules/$1/package.json').version"; }

copy() {  # copy PACKAGE FILE... : files are relative to node_modules/PACKAGE
    pkg=$1; shift
    dir="$dest/${pkg##*/}-$(version "$pkg")"  # a scoped package (@scope/name) goes into name-<version>
    mkdir -p "$dir"
    cp "node_modules/$pkg/LICENSE" "$dir/LICENSE"
    for f in "$@"; do
        cp -R "node_modules/$pkg/$f" "$dir/"
    done
}

rm -rf "$dest"/leaflet-* "$dest"/vega-* "$dest"/htmx.org-*
mkdir -p "$dest"
copy leaflet dist/leaflet.js dist/leaflet.css dist/images
copy vega build/vega.min.js
copy vega-lite build/vega-lite.min.js
copy vega-embed build/vega-embed.min.js
copy htmx.org dist/htmx.min.js
copy @geoman-io/leaflet-geoman-free dist/leaflet-geoman.min.js dist/leaflet-geoman.css
# Source-map comments point at files we do not ship; drop them so browsers do not ask for them.
for f in "$dest"/*/*.js "$dest"/*/*.css; do
    sed -i -e '/^\/\/# sourceMappingURL=/d' -e 's#/\*\# sourceMappingURL=[^*]*\*/##' "$f"
done
cd "$dest"
find . -type f ! -name SHA256SUMS ! -name README.md | sort | xargs sha256sum > SHA256SUMS
echo "vendored into $dest:"; ls "$dest"
