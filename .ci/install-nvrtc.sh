#!/usr/bin/env bash
# Installs NVRTC 11.x from Debian bookworm's non-free section so kernels can be compiled (and their
# compile tests run) on machines without a GPU or CUDA toolkit. Idempotent; run as root.
set -euo pipefail

# Captured first: grep -q closing the pipe early would fail the pipeline under pipefail.
libraries=$(ldconfig -p 2>/dev/null || true)
if grep -q 'libnvrtc\.so' <<<"$libraries" && grep -q 'libnvrtc-builtins\.so' <<<"$libraries"; then
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive

# Reuse the mirror host the machine already uses (snapshot mirrors, proxies), else deb.debian.org.
mirror=$(grep -rhvE '^[[:space:]]*#' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
    | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n1 | tr -d ' ' || true)
mirror=${mirror:-http://deb.debian.org/debian}

source_file=/etc/apt/sources.list.d/rasnative-nonfree.sources
if [ ! -f "$source_file" ]; then
    cat > "$source_file" <<SOURCES
Types: deb
URIs: ${mirror%/}
Suites: bookworm
Components: contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi

apt-get update -qq
# Debian names the runtime after its soname (libnvrtc11.2) while the builtins carry the toolkit version.
builtins=$(apt-cache search --names-only '^libnvrtc-builtins[0-9.]+$' | awk '{print $1}' | sort -V | tail -n1)
apt-get install -y -qq --no-install-recommends libnvrtc11.2 "${builtins:-libnvrtc-builtins11.8}" >/dev/null
ldconfig
