"""Output formats: a name -> reporter table; the CLI only picks one and prints what it renders."""

from __future__ import annotations

from cfglint.reporters.base import Reporter
from cfglint.reporters.github import GithubReporter
from cfglint.reporters.json import JsonReporter
from cfglint.reporters.sarif import SarifReporter
from cfglint.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
}
