#!/usr/bin/env python3
"""Converts this set's notes.txt into notes.jsonl (../marked_notes.py; --check
fails when notes.jsonl is stale)."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from marked_notes import main  # noqa: E402

main(HERE)
