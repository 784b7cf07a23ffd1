#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages SUAS Desktop needs, only the ones that are missing.
#   xvfb libxcb-icccm4 libxcb-keysyms1: a real X window under Xvfb (platform.md §1: without the two
#       xcb libraries Qt aborts with a misleading "xcb-cursor0 is needed")
#   libgl1 libegl1 fontconfig fonts-dejavu-core: Qt on a minimal system
#   poppler-utils, qpdf: pdftoppm/pdffonts/pdftotext and qpdf --check, to look at and test generated PDFs
#   softhsm2: a software PKCS#11 token, for the A3 (token) signing tests
#   python3-venv: the virtual environment (only where python3 comes from Debian)
# Usage: scripts/system-deps.sh [--with-gui]   (without the flag, only what headless tests need)
set -euo pipefail

packages=(libgl1 libegl1 fontconfig fonts-dejavu-core libxkbcommon0 libdbus-1-3 poppler-utils qpdf softhsm2)
if [[ "${1:-}" == "--with-gui" || "${CI:-}" == "true" ]]; then
    packages+=(xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xkb1
               libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-cursor0)
fi
if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
    packages+=(python3-venv)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system-deps: not a Debian-like system; install the equivalents of: ${packages[*]}" >&2
    exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "system-deps: missing packages (${missing[*]}) and no root/sudo to install them" >&2
        exit 1
    fi
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
