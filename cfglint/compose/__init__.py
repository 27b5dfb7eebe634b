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

# The names below are imported on first use: a check that composes nothing (most files) never
# pays for the composer and the override grammar.
_EXPORTS = {
    "Composition": "hydra",
    "CompositionProblem": "hydra",
    "DefaultsEntry": "hydra",
    "compose": "hydra",
    "default_choices": "hydra",
    "defaults_entries": "hydra",
    "has_defaults_list": "projects",
    "read_defaults": "hydra",
    "OVERRIDES_PATH": "overrides",
    "Override": "overrides",
    "OverrideError": "overrides",
    "overrides_document": "overrides",
    "parse_override": "overrides",
    "parse_overrides": "overrides",
    "override_value": "overrides",
    "written_as_option": "hydra",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cfglint.compose' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"cfglint.compose.{_EXPORTS[name]}"), name)
