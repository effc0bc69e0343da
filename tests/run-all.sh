#!/usr/bin/env bash
# Runs every test of HvsGrains on a fresh machine: installs what the tests need, then runs them.
# This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(python3-onnx python3-numpy)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages the tests use)"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The build fetches the ONNX Runtime native library from npm (once, cached in ~/.cache/hvsgrains).
dotnet build HvsGrains.sln -c Release
dotnet format HvsGrains.sln --verify-no-changes --no-restore
dotnet test HvsGrains.sln -c Release --no-build --logger "console;verbosity=minimal"
