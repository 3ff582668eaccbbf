"""Measures and comparisons: P310, P311 (LANGUAGE.md 8.2). Being written."""

from __future__ import annotations
