#!/usr/bin/env bash
# Runs every test of HvsGrains on a fresh machine: installs what the tests need, then runs them.
# This is the README's test command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: python3-* for the training pipeline and the test models, chromium for the dashboard tests,
# prometheus (the server and promtool) for the metrics and alert-rule tests, postgresql (a server each cluster test starts
# in a temporary folder of its own).
apt_packages=(python3-onnx python3-numpy python3-scipy python3-pandas python3-sklearn python3-xgboost
              python3-imblearn python3-matplotlib python3-pytest chromium prometheus postgresql)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages the tests use)"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The build fetches the dashboard's chart library from the npm registry without Node.js (once; kept in src/HvsGrains.Silo/obj).
# The deployment tests need kubectl (kubectl kustomize, 1.21 or later): the machine image has it; Debian's kubernetes-client (1.20) is too old.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
dotnet build HvsGrains.sln -c Release
dotnet format HvsGrains.sln --verify-no-changes --no-restore

# The training pipeline's tests train on a small simulated dataset made by the C# simulator, in a
# temporary folder removed when the run ends (pass HVS_SMALL_DATASET to keep and reuse one).
# pytest's own temporary folders (trained models, ~400 MB) go there too.
scratch="$(mktemp -d -t hvs-tests.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
export HVS_SMALL_DATASET="${HVS_SMALL_DATASET:-$scratch/small}"
if [ ! -f "$HVS_SMALL_DATASET/dataset.json" ]; then
  dotnet run -c Release --no-build --project src/HvsGrains.Simulation -- dataset --size small --out "$HVS_SMALL_DATASET"
fi
(cd src/training && /usr/bin/python3 -m pytest -q --basetemp="$scratch/pytest")

# One test project at a time (-m:1): the cluster, browser and process tests start silos, PostgreSQL and chromium of their
# own, and several projects at once on 2 cores made their waits time out.
dotnet test HvsGrains.sln -c Release --no-build -m:1 --logger "console;verbosity=minimal"
