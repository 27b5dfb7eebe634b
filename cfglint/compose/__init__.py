"""Hydra composition: a root config as Hydra builds it at start-up, read without running code.

A Hydra root names other files in its `defaults:` list (config groups such as model/ and
trainer/, an optional experiment), each placed at a package and merged with OmegaConf's rules;
command-line overrides change the list and the result. cfglint builds that composed config over
its own positioned documents, so every value keeps the file, line and column it is written at.

Never executed, imported or evaluated: the user's code, Hydra, OmegaConf, resolvers
(`${oc.env:...}` and custom ones stay strings, unknown), ConfigStore schemas registered in
Python, hydra.searchpath and pkg:// sources, plugins, sweeps and override functions. What only
they could give is reported as "not-composed" (unknown), never guessed.
"""

from cfglint.compose.hydra import (
    Composition,
    CompositionProblem,
    DefaultsEntry,
    compose,
    default_choices,
    defaults_entries,
    group_of,
    has_defaults_list,
    read_defaults,
    written_as_option,
)
from cfglint.compose.overrides import OVERRIDES_PATH, Override, OverrideError, override_value, overrides_document, parse_override, parse_overrides

__all__ = [
    "OVERRIDES_PATH",
    "Composition",
    "CompositionProblem",
    "DefaultsEntry",
    "Override",
    "OverrideError",
    "compose",
    "default_choices",
    "defaults_entries",
    "group_of",
    "has_defaults_list",
    "override_value",
    "overrides_document",
    "parse_override",
    "parse_overrides",
    "read_defaults",
    "written_as_option",
]
