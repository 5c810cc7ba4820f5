# Sourced by .ci/run (and usable by hand): makes sure Node >= 22.12 and pnpm 10 are on PATH.
# It never exits the shell that sources it: a failure returns 1 (and exits only when executed).
# These machines ship Node 20; wrangler needs 22.12+, and the npm package `node@22` carries the binary.
TOOLS_DIR="${TRANCHE_TOOLS_DIR:-$HOME/.cache/tranche-tools}"
export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if ! node_ok || ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm --version 2>/dev/null)" != 10.* ]]; then
  echo "toolchain: installing node@22 and pnpm@10 into $TOOLS_DIR" >&2
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error node@22 pnpm@10 ||
    echo "toolchain: npm install failed" >&2
  hash -r # bash remembers where it found `node` before; look again
fi
if ! node_ok; then
  echo "toolchain: node >= 22.12 is still not on PATH" >&2
  # Sourced (by hand or by .ci/run), `exit` would close the caller's shell: return instead.
  return 1 2>/dev/null || exit 1
fi
echo "toolchain: node $(node --version), pnpm $(pnpm --version)" >&2
