#!/usr/bin/env bash
# Browser tests: starts `sceau serve` (the release binary, or $SCEAU_BIN) on a
# free loopback port with a fresh data directory, runs the tests in Debian's
# headless Chromium (node's test runner), then stops the server.
# Screenshots go to tests/browser/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
bin=${SCEAU_BIN:-$root/target/release/sceau}
if [ ! -x "$bin" ]; then
  echo "binaire introuvable : $bin (cargo build --release, ou SCEAU_BIN=…)" >&2
  exit 1
fi
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
data=$(mktemp -d)
mkdir -p artifacts
"$bin" serve --listen "127.0.0.1:$port" --data-dir "$data/data" >"$data/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  cp "$data/server.log" artifacts/server.log 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$data/server.log" >&2; echo "le serveur s’est arrêté" >&2; exit 1; fi
  sleep 0.1
done
status=0
SCEAU_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 tests/*.test.mjs || status=$?
# Encryption at rest: the distinctive patient data entered by the register
# tests (tests/suite-registre.test.mjs) must be nowhere in clear: database,
# WAL, shared memory, any other file of the data directory, the server's log.
secrets=("Escarboucle" "Philomène" "Claire Dubois" "Marc Lenoir" "DOSS-ESCARBOUCLE-17" "1987-04-05" "kinésithérapique de l’épaule" "refuse tout partage hors du cabinet" "bilan de la séance")
check_clear() {
  local found=0
  for s in "${secrets[@]}"; do
    if grep -r -a -l -F -- "$s" "$data" 2>/dev/null; then
      echo "donnée patient en clair : « $s » ($1)" >&2
      found=1
    fi
  done
  return $found
}
if [ "$status" = 0 ]; then
  check_clear "serveur en marche" || status=1
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_clear "serveur arrêté" || status=1
fi
if [ "$status" != 0 ]; then
  echo "--- journal du serveur ---" >&2
  tail -n 40 "$data/server.log" >&2
fi
exit "$status"
