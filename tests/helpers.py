"""Shared test helpers: lint a config given inline, and read findings as (code, line, column)."""

import os

from cfglint.api import CheckOptions, Checker

CORPUS = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus"))


def lint(text: str, filename: str = "config.yaml", **options):
    """Findings for a config given inline, with no settings file in play."""
    checker = Checker(CheckOptions(isolated=True, **options))
    return checker.check_bytes(text.encode("utf-8"), filename).findings


def positions(findings):
    """(code, line, column) of each finding: what rule tests assert."""
    return [(f.code, f.span.line, f.span.column) for f in findings]
