"""The checker's rules, one small function per code, and the registry they live in."""

from importlib import import_module

# Every module that registers rules, in the order their codes are numbered.
RULE_MODULES = ("syntax", "limits", "names", "values", "measures", "movement", "progression",
                "schedule",
                "timing")


def load_all() -> None:
    """Import every rule module, registering its rules."""
    for name in RULE_MODULES:
        import_module(f"protodsl.rules.{name}")
