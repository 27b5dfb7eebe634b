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


def sarif_problems(log: dict) -> list[str]:
    """What GitHub's upload-sarif action would say of a SARIF log: schema errors against the
    schema it validates with (tests/fixtures/sarif-schema-2.1.0.json), and URIs that are not
    valid URI references, which it warns about; empty means accepted without a word."""
    import json

    import jsonschema

    with open(os.path.join(os.path.dirname(__file__), "fixtures", "sarif-schema-2.1.0.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}" for error in validator.iter_errors(log)]
