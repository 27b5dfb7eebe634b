"""cfglint: a linter and auto-fixer for machine-learning training configs (YAML and JSON)."""

__version__ = "0.1.0"
