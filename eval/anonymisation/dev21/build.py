#!/usr/bin/env python3
"""Converts this set's notes.txt into notes.jsonl (../annotated_notes.py)."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from annotated_notes import build  # noqa: E402

build(HERE, prefix="h3", min_all=20, min_small=10, dst=sys.argv[1] if len(sys.argv) > 1 else None)
