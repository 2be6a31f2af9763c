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
# The server's own temporary directory, searched for canaries at the end.
mkdir -p "$data/tmp"
TMPDIR="$data/tmp" "$bin" serve --listen "127.0.0.1:$port" --data-dir "$data/data" >"$data/server.log" 2>&1 &
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
# The installation code the server printed (and wrote, 0600, in its data
# directory): the browser types it like a person installing Sceau.
SCEAU_INSTALL_CODE=$(cat "$data/data/installation.code" 2>/dev/null || true)
[ -n "$SCEAU_INSTALL_CODE" ] || { cat "$data/server.log" >&2; echo "code d’installation introuvable" >&2; exit 1; }
export SCEAU_INSTALL_CODE
status=0
# SCEAU_SUITES names one suite file (tests/suite-….test.mjs) to run alone.
SCEAU_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 ${SCEAU_SUITES:-tests/*.test.mjs} || status=$?
# The API pass: canary patient data through the JSON API, then the same
# canaries in requests the server must refuse (4xx); the refusals are kept in
# $data/errors and searched with everything else.
if [ "$status" = 0 ]; then
  SCEAU_URL="http://127.0.0.1:$port" ./canary-api.sh "$data/errors" || status=1
fi
# Secret-keeping: the distinctive patient data entered by every suite (the
# register's patient, the reports' victims, what they said, what was seen)
# and by the API pass must be nowhere in clear: database, WAL, shared memory,
# any other file of the data directory, the server's log (panics included),
# its temporary directory, the error answers.
secrets=(
  # suite-registre.test.mjs
  "Escarboucle" "Philomène" "DOSS-ESCARBOUCLE-17" "1987-04-05" "kinésithérapique de l’épaule"
  "refuse tout partage hors du cabinet" "bilan de la séance" "poignet gauche en voie"
  # suite-signalement.test.mjs
  "Claire Dubois" "Marc Lenoir" "Léa Morel" "Nadia Perrin" "périorbitaire" "manche d’un balai"
  "Papa m’a serré très fort" "acheté un fusil" "Ecchymoses en forme de doigts"
  # canary-api.sh
  "Quillebeuf" "Ysoline" "QUILL-0042" "1979-11-23" "épaule gelée de Quillebeuf" "refus Quillebeuf" "Pélerinage"
)
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
# Owner-only files: the data directory 0700, the database and its companions 0600.
check_modes() {
  local bad=0
  [ "$(stat -c %a "$data/data")" = 700 ] || { echo "répertoire de données en $(stat -c %a "$data/data") au lieu de 700" >&2; bad=1; }
  for f in "$data"/data/sceau.sqlite*; do
    [ "$(stat -c %a "$f")" = 600 ] || { echo "$f en $(stat -c %a "$f") au lieu de 600" >&2; bad=1; }
  done
  return $bad
}
if [ "$status" = 0 ]; then
  check_clear "serveur en marche" || status=1
  check_modes || status=1
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_clear "serveur arrêté" || status=1
  echo "secret : $(find "$data" -type f | wc -l) fichiers fouillés, ${#secrets[@]} valeurs témoins, 0 trouvée en clair"
fi
if [ "$status" != 0 ]; then
  echo "--- journal du serveur ---" >&2
  tail -n 40 "$data/server.log" >&2
fi
exit "$status"
