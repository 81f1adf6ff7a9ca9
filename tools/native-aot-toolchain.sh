#!/usr/bin/env bash
# Installs what the Native AOT build (functionBuild: nativeAot, the default) and its tests need on Debian or Ubuntu:
#   - clang, which the .NET SDK links native executables with, and binutils for stripping symbols;
#   - the aarch64 cross toolchain, so an x64 machine builds the arm64 function (clang --target=aarch64-linux-gnu);
#   - qemu-user and an arm64 OpenSSL, so the tests can run the arm64 binary on an x64 machine.
# On an arm64 machine it installs the x86-64 cross toolchain instead, and no emulator.
# --build-only installs just what `pulumi preview`/`pulumi up` need to compile (no emulator, no arm64 OpenSSL):
# the deploy pipeline (.github/workflows) uses it.
# Run as root, or with sudo available. CI runs it before the tests (.ci/run).
set -euo pipefail
build_only=false
[ "${1:-}" = --build-only ] && build_only=true

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

case "$(uname -m)" in
  x86_64)  cross=(binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross) emulator=(qemu-user) ;;
  aarch64) cross=(binutils-x86-64-linux-gnu gcc-x86-64-linux-gnu libc6-dev-amd64-cross) emulator=() ;;
  *) echo "Native AOT builds on x64 and arm64 Linux only, not $(uname -m)" >&2; exit 1 ;;
esac
if $build_only; then emulator=(); fi

as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang binutils "${cross[@]}" "${emulator[@]}" >/dev/null

# qemu-aarch64 -L /usr/aarch64-linux-gnu finds the arm64 C library there (libc6-arm64-cross); .NET also loads
# libssl.so.3 and libcrypto.so.3 at run time. Take them from Debian's arm64 package without adding arm64 to dpkg's
# architectures: only the two libraries are copied, and nothing else on the machine changes.
if ! $build_only && [ "$(uname -m)" = x86_64 ] && [ ! -e /usr/aarch64-linux-gnu/lib/libssl.so.3 ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  as_root apt-get update -qq -o APT::Architectures=amd64,arm64
  ( cd "$work" && chmod 777 . && { apt-get download -qq -o APT::Architectures=amd64,arm64 libssl3t64:arm64 2>/dev/null \
      || apt-get download -qq -o APT::Architectures=amd64,arm64 libssl3:arm64; } )
  dpkg-deb -x "$work"/libssl3*_arm64.deb "$work/root"
  as_root cp "$work"/root/usr/lib/aarch64-linux-gnu/libssl.so.3 "$work"/root/usr/lib/aarch64-linux-gnu/libcrypto.so.3 /usr/aarch64-linux-gnu/lib/
fi
echo "Native AOT toolchain ready: $(clang --version | head -n 1)"
