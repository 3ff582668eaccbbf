"""Time structure: P510, P412 (LANGUAGE.md 8.1, 8.9). Being written."""

from __future__ import annotations
