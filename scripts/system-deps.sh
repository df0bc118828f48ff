#!/usr/bin/env bash
# Debian packages the test suite needs: chromium for the browser tests, CJK fonts so
# pages, screenshots and door posters show Chinese, gettext for the translation check,
# Pango for WeasyPrint (door posters as PDF), poppler-utils and Tesseract with its Simplified
# Chinese data to prove a PDF shows Chinese glyphs, not tofu (finance's statement PDF). Idempotent:
# installs only what is missing.
set -euo pipefail
need=()
for pkg in chromium fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 poppler-utils tesseract-ocr \
    tesseract-ocr-chi-sim; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
