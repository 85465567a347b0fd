#!/bin/sh
# Ensure the system libraries WeasyPrint needs are present (Debian/Ubuntu).
# As root, installs what is missing with apt; otherwise prints the exact command and carries on,
# so `make run` and `make test` still work (PDF rendering is what needs these libraries).
set -u

PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core poppler-utils zbar-tools"
missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done

[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "WeasyPrint needs these libraries (not a Debian/Ubuntu system?):$missing" >&2
    exit 0
fi

if [ "$(id -u)" = "0" ]; then
    echo "Installing system libraries:$missing"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 \
        || { apt-get update >/dev/null 2>&1 \
             && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >/dev/null; } \
        || echo "apt-get could not install:$missing" >&2
else
    echo "WeasyPrint needs system libraries that are missing. Install them with:" >&2
    echo "    sudo apt-get install -y$missing" >&2
    echo "(without libharfbuzz-subset0 every PDF takes about 15 times longer)" >&2
fi
exit 0
