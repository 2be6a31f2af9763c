#!/usr/bin/env bash
# The API pass of the secret-keeping check (called by run.sh after the
# browser suites, whose administrator « camille » it signs in as): creates a
# token through the pages, registers a canary patient with a consent, an
# opposition and a journal entry through the API, then sends the same
# canaries where the server must refuse them. Every refusal must be a 4xx
# and is written to DIR, which run.sh searches with the rest.
set -euo pipefail
out=${1:?usage: canary-api.sh DIR}
base=${SCEAU_URL:?SCEAU_URL}
mkdir -p "$out"
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' | head -n 1 | sed 's/.*value="\([0-9a-f]*\)"/\1/'; }
page() { curl -sS -c "$jar" -b "$jar" "$@"; }
c=$(page "$base/connexion" | csrf)
page -o /dev/null --data-urlencode "csrf=$c" --data-urlencode "identifiant=camille" \
  --data-urlencode "mot_de_passe=une phrase de passe solide" "$base/connexion"
c=$(page "$base/administration/jetons" | csrf)
token=$(page --data-urlencode "csrf=$c" -d action=creer -d nom=canaris -d portee=ecriture "$base/administration/jetons" \
  | grep -o 'id="nouveau-jeton">sceau_[0-9a-f]*' | sed 's/.*>//')
[ -n "$token" ] || { echo "canary-api : jeton non créé" >&2; exit 1; }
api() { # METHOD PATH [BODY] → body on stdout, status in $code
  local m=$1 p=$2 b=${3:-}
  local args=(-sS -o "$out/last" -w '%{http_code}' -X "$m" -H "Authorization: Bearer $token")
  [ -n "$b" ] && args+=(-H 'Content-Type: application/json' --data-binary "$b")
  code=$(curl "${args[@]}" "$base$p")
}
ok() { api "$@"; [[ $code == 2* ]] || { echo "canary-api : $1 $2 → $code" >&2; cat "$out/last" >&2; exit 1; }; }
n=0
refused() { # METHOD PATH BODY: must be a 4xx; the answer is kept
  api "$@"
  n=$((n + 1))
  cp "$out/last" "$out/refus-$n"
  [[ $code == 4* ]] || { echo "canary-api : $1 $2 → $code au lieu d’un refus 4xx" >&2; exit 1; }
}

ok POST /api/v1/patients '{"display_name": "Ysoline Quillebeuf", "birth_date": "1979-11-23", "reference": "QUILL-0042"}'
pat=$(grep -o '"id":"pat_[0-9a-f]*"' "$out/last" | head -n 1 | cut -d'"' -f4)
ok POST "/api/v1/patients/$pat/consents" '{"recipient": "professionnel_hors_equipe", "what": "épaule gelée de Quillebeuf", "method": "oral", "given_on": "2025-03-01"}'
ok POST "/api/v1/patients/$pat/oppositions" '{"scope": "tout", "what": "refus Quillebeuf", "since": "2025-03-02"}'
ok POST /api/v1/journal "{\"patient\": \"$pat\", \"recipient\": \"professionnel_hors_equipe\", \"purpose\": \"coordination_soins\", \"verdict\": \"allowed\", \"basis\": [\"csp:L1110-4:III\"], \"information\": \"épaule gelée de Quillebeuf\"}"
ok GET "/api/v1/patients/$pat"
: >"$out/last"

# The same canaries where they do not belong.
refused POST /api/v1/patients '{"display_name": "Ysoline Quillebeuf", "birth_date": "Ysoline Quillebeuf"}'
refused POST /api/v1/patients '{"display_name": "Ysoline Quillebeuf", "nom": "Ysoline Quillebeuf"}'
refused POST /api/v1/patients '{"display_name": "Ysoline Quillebeuf", '
refused POST "/api/v1/patients/$pat/consents" '{"recipient": "Ysoline Quillebeuf", "what": "x", "method": "oral", "given_on": "2025-03-01"}'
refused POST "/api/v1/patients/$pat/oppositions" '{"scope": "QUILL-0042", "what": "x", "since": "1979-11-23"}'
refused POST /api/v1/decisions '{"recipient": "Ysoline Quillebeuf", "patient_minor": "QUILL-0042"}'
refused POST /api/v1/decisions '{"Ysoline Quillebeuf": true}'
refused POST /api/v1/interview '{"answers": {"purpose": "épaule gelée de Quillebeuf"}}'
refused POST /api/v1/journal "{\"patient\": \"$pat\", \"recipient\": \"Ysoline Quillebeuf\", \"purpose\": \"x\", \"verdict\": \"x\", \"basis\": [\"refus Quillebeuf\"]}"
refused GET "/api/v1/patients/Ysoline%20Quillebeuf"
refused GET "/api/v1/articles/QUILL-0042?as_of=1979-11-23x"
# And in the pages' forms, with a canary never stored (the refused page may
# rightly show the register, with the stored canaries above): it may come
# back only as the value of the refused form's own fields. The pages are then dropped; run.sh searches the
# rest for every canary.
c=$(page "$base/patients" | csrf)
form_refused() { # NAME URL CURL-ARGS…
  local name=$1 url=$2
  shift 2
  code=$(page -o "$out/$name" -w '%{http_code}' "$@" "$url")
  [[ $code == 4* ]] || { echo "canary-api : $name → $code au lieu d’un refus" >&2; exit 1; }
  # A refused form keeps what was typed, as the value of its own fields
  # (issue 19): the canary may be there and nowhere else.
  if sed 's/ value="Ondine Pélerinage"//g' "$out/$name" | grep -q -F "Pélerinage"; then
    echo "canary-api : $name renvoie la valeur soumise hors des champs du formulaire" >&2
    exit 1
  fi
  rm -f "$out/$name"
}
form_refused patient "$base/patients" --data-urlencode "csrf=$c" --data-urlencode "nom=Ondine Pélerinage" \
  --data-urlencode "naissance=Ondine Pélerinage"
form_refused equipe "$base/patients/$pat" --data-urlencode "csrf=$c" --data-urlencode "action=equipe" \
  --data-urlencode "nom=Ondine Pélerinage" --data-urlencode "depuis=Ondine Pélerinage"
form_refused texte "$base/textes/P%C3%A9lerinage?date=Ondine%20P%C3%A9lerinage"
echo "canary-api : $((n + 3)) refus, aucun 5xx, aucune valeur renvoyée"
