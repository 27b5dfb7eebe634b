"""cfglint's own settings: `.cfglint.yaml` or `[tool.cfglint]` in pyproject.toml.

The nearest settings file above a checked config applies to it (like ruff and yamllint); globs
in it are relative to the folder it sits in. Every mistake in a settings file is reported with
its line and stops the run (exit 2): a silently ignored setting is worse than none.
"""

from __future__ import annotations

import os
import re
from fnmatch import fnmatchcase
from typing import Any, Callable

from cfglint.finding import Severity

SETTINGS_FILES = (".cfglint.yaml", "pyproject.toml")

Locate = Callable[[tuple], str]


class SettingsError(Exception):
    """A settings file cfglint cannot use; the message starts with `path:line:column:`."""


class Settings:
    """A settings file's choices (or the defaults), and the folder its globs are relative to.

    Starts as the defaults; load_settings fills in what the file sets.
    """

    def __init__(self, path: str | None = None, root: str = ".") -> None:
        self.path = path  # the file these came from
        self.root = root  # the folder globs are relative to
        self.select: list[str] | None = None
        self.extend_select: list[str] = []
        self.ignore: list[str] = []
        self.fail_on: Severity | None = None
        self.exclude: list[str] = []
        # Files to check although cfglint.walk knows their name or content as not a training config.
        self.include: list[str] = []
        # Leave out of folder walks what git ignores.
        self.respect_gitignore = True
        self.per_file_ignores: dict[str, list[str]] = {}
        self.severity: dict[str, Severity] = {}
        self.families: dict[str, str] = {}
        self.schemas: dict[str, str] = {}
        self.rule_options: dict[str, dict[str, Any]] = {}
        self.probe_entry: str | None = None  # `probe.entry`: the default --entry for `cfglint probe`
        # The generic reading beneath the dialects (`generic = false` turns it off).
        self.generic = True
        # How the training code of generically read configs loads YAML (None: PyYAML, the likeliest).
        self.loader: str | None = None

    def relative(self, path: str) -> str:
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")

    def matches(self, pattern: str, path: str) -> bool:
        """A glob matches the path relative to the settings folder, or its file name alone."""
        relative = self.relative(path)
        return fnmatchcase(relative, pattern) or ("/" not in pattern and fnmatchcase(os.path.basename(path), pattern))

    def first_match(self, table: dict[str, str], path: str) -> str | None:
        for pattern, value in table.items():
            if self.matches(pattern, path):
                return value
        return None

    def excluded(self, path: str) -> str | None:
        """The first `exclude` glob that matches the path, if any."""
        return next((pattern for pattern in self.exclude if self.matches(pattern, path)), None)

    def included(self, path: str) -> bool:
        return any(self.matches(pattern, path) for pattern in self.include)


def find_settings_file(start: str) -> str | None:
    """The nearest `.cfglint.yaml`, or pyproject.toml with a [tool.cfglint] table, above `start`."""
    folder = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        for name in SETTINGS_FILES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


# `[tool.cfglint]` or a subtable of it (`[tool.cfglint.rules]`) in a pyproject.toml.
_TOOL_TABLE = r"(?m)^\s*\[\s*tool\s*\.\s*cfglint\s*[\].]"  # compiled on first use: only for a pyproject.toml


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return re.search(_TOOL_TABLE, handle.read()) is not None
    except OSError:
        return False


def load_settings(path: str) -> Settings:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise SettingsError(f"{path}: cannot read settings: {error.strerror}") from None
    if path.endswith(".toml"):
        table, locate = _read_toml(path, data)
    else:
        table, locate = _read_yaml(path, data)
    return parse_settings(table, locate, path)


def _read_toml(path: str, data: bytes) -> tuple[dict, Locate]:
    from cfglint.toml_source import standard_toml

    tomllib = standard_toml()
    text = data.decode("utf-8", errors="replace")
    try:
        table = tomllib.loads(text).get("tool", {}).get("cfglint", {})
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: invalid TOML: {error}") from None
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if re.match(_TOOL_TABLE, line)), 0)

    def locate(key_path: tuple) -> str:
        # TOML parsers keep no positions; find the key's own line below the [tool.cfglint] header.
        name = str(key_path[-1]) if key_path else "cfglint"
        pattern = re.compile(r"""^\s*(?:["']?%s["']?\s*=|\[.*\b%s["']?\s*\])""" % (re.escape(name), re.escape(name)))
        for number in range(header, len(lines)):
            if pattern.search(lines[number]) or re.search(r"""["']%s["']\s*=""" % re.escape(name), lines[number]):
                return f"{path}:{number + 1}:1"
        return f"{path}:{header + 1}:1"

    return table, locate


def _read_yaml(path: str, data: bytes) -> tuple[dict, Locate]:
    from cfglint.document import to_data
    from cfglint.source import load_document

    doc = load_document(path, data)
    if doc.problems:
        problem = doc.problems[0]
        raise SettingsError(f"{path}:{problem.span.line}:{problem.span.column}: {problem.message}")
    table = to_data(doc.root, limit=100_000) if doc.root is not None else {}
    if table is None:
        table = {}

    def locate(key_path: tuple) -> str:
        node = doc.key_node_at(key_path) or doc.node_at(key_path)[0]
        span = node.span if node is not None else doc.span_at(0)
        return f"{path}:{span.line}:{span.column}"

    return table, locate


def parse_settings(table: Any, locate: Locate, path: str) -> Settings:
    from cfglint import dialects, rules

    if not isinstance(table, dict):
        raise SettingsError(f"{locate(())}: settings must be a mapping of option names to values")
    settings = Settings(path=path, root=os.path.dirname(os.path.abspath(path)))

    def fail(key_path: tuple, message: str) -> SettingsError:
        return SettingsError(f"{locate(key_path)}: {message}")

    def string_list(key: str) -> list[str]:
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail((key,), f"'{key}' must be a list of strings")
        return value

    def string_table(key: str) -> dict[str, Any]:
        value = table[key]
        if not isinstance(value, dict):
            raise fail((key,), f"'{key}' must be a table of glob = value")
        return value

    def check_selectors(key: tuple, selectors: list[str]) -> None:
        for selector in selectors:
            try:
                rules.matching(selector)
            except rules.UnknownRule as error:
                raise fail(key, str(error)) from None

    for key in table:
        if key not in _KEYS:
            raise fail((key,), f"unknown setting '{key}'; known: {', '.join(_KEYS)}")
    for key in ("select", "extend-select", "ignore", "exclude", "include"):
        if key in table:
            values = string_list(key)
            if key not in ("exclude", "include"):
                check_selectors((key,), values)
            setattr(settings, key.replace("-", "_"), values)
    if "fail-on" in table:
        settings.fail_on = _severity(table["fail-on"], lambda m: fail(("fail-on",), m))
    if "severity" in table:
        for code, level in string_table("severity").items():
            rule = _rule(code, lambda m: fail(("severity", code), m))
            settings.severity[rule.code] = _severity(level, lambda m: fail(("severity", code), m))
    if "per-file-ignores" in table:
        for pattern, entries in string_table("per-file-ignores").items():
            if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
                raise fail(("per-file-ignores", pattern), "per-file-ignores values must be lists like [\"S001\", \"S003:scheduler.*\"]")
            for entry in entries:
                _rule(entry.split(":", 1)[0], lambda m: fail(("per-file-ignores", pattern), m))
            settings.per_file_ignores[pattern] = entries
    if "families" in table:
        for pattern, family in string_table("families").items():
            if family not in dialects.BY_NAME:
                raise fail(("families", pattern), f"unknown family {family!r}; known: {', '.join(dialects.BY_NAME)}")
            settings.families[pattern] = family
    if "schemas" in table:
        for pattern, schema in string_table("schemas").items():
            if not isinstance(schema, str):
                raise fail(("schemas", pattern), "schemas values must be paths to JSON Schema files")
            settings.schemas[pattern] = os.path.join(settings.root, schema)
    if "probe" in table:
        probe = table["probe"]
        if not isinstance(probe, dict) or set(probe) - {"entry"} or not isinstance(probe.get("entry", ""), str):
            raise fail(("probe",), "'probe' takes one option: entry = \"module:function\" or \"path/to/file.py:function\"")
        entry = probe.get("entry")
        if entry and ".py:" in entry and not os.path.isabs(entry):
            entry = os.path.join(settings.root, entry)  # a file entry is relative to the settings file
        settings.probe_entry = entry
    for key in ("generic", "respect-gitignore"):
        if key in table:
            if not isinstance(table[key], bool):
                raise fail((key,), f"'{key}' must be true or false")
            setattr(settings, key.replace("-", "_"), table[key])
    if "loader" in table:
        from cfglint.loaders import LOADERS

        if table["loader"] not in LOADERS:
            raise fail(("loader",), f"unknown loader {table['loader']!r}; known: {', '.join(LOADERS)}")
        settings.loader = table["loader"]
    if "rules" in table:
        for name, options in string_table("rules").items():
            rule = _rule(name, lambda m: fail(("rules", name), m))
            settings.rule_options[rule.code] = _rule_options(rule, options, lambda key, m: fail(("rules", name) + key, m))
    return settings


_KEYS = ("select", "extend-select", "ignore", "fail-on", "exclude", "include", "respect-gitignore", "per-file-ignores", "severity", "families", "schemas", "rules", "probe", "generic", "loader")


def _severity(value: Any, fail: Callable[[str], SettingsError]) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError as error:
        raise fail(str(error)) from None


def _rule(code_or_name: str, fail: Callable[[str], SettingsError]):
    from cfglint import rules

    try:
        return rules.get(code_or_name)
    except rules.UnknownRule as error:
        raise fail(str(error)) from None


def _rule_options(rule, options: Any, fail: Callable[[tuple, str], SettingsError]) -> dict[str, Any]:
    if not isinstance(options, dict):
        raise fail((), f"options for {rule.code} ({rule.name}) must be a table")
    for name, value in options.items():
        if name not in rule.options:
            known = ", ".join(rule.options) or "none"
            raise fail((name,), f"unknown option '{name}' for rule {rule.code} ({rule.name}); its options: {known}")
        default = rule.options[name]
        if type(value) is not type(default) and not (isinstance(default, float) and type(value) is int):
            raise fail((name,), f"option '{name}' of {rule.code} must be a {type(default).__name__}, not {type(value).__name__}")
    return {**rule.options, **options}
