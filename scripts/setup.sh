#!/usr/bin/env bash
# Installs what Attune needs and this machine lacks (Debian/Ubuntu): json-c's
# headers, and xmllint for the EmotionML test. Safe to run again.
set -euo pipefail
need=()
pkg-config --exists json-c 2>/dev/null || need+=(libjson-c-dev)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
