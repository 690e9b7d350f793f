#!/usr/bin/env bash
# Installs code-server (real VS Code 1.100.3, from the npm registry) into a cache folder once.
# Offline recipe: ../shared/notes/vscode-e2e.md. Idempotent: a second run returns at once.
set -euo pipefail
version=4.100.3
cache="${GAN_E2E_CACHE:-$HOME/.cache/gan-run-inspector}/code-server-$version"
bin="$cache/node_modules/.bin/code-server"
if [ -x "$bin" ] && [ -f "$cache/.installed" ]; then echo "$bin"; exit 0; fi
command -v rg >/dev/null || { echo "install-code-server: ripgrep is missing (apt-get install -y ripgrep)" >&2; exit 1; }
# @vscode/ripgrep downloads a binary unless it finds this cache; Debian's rg stands in for it.
rgcache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rgcache/stage"
cp "$(command -v rg)" "$rgcache/stage/rg"
tar czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rgcache/stage" rg
mkdir -p "$cache"
cd "$cache"
[ -f package.json ] || npm init -y >/dev/null
npm_config_unsafe_perm=true npm_config_yes=true npm install --no-audit --no-fund --loglevel=error "code-server@$version" >&2
touch .installed
echo "$bin"
