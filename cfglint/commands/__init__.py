"""The subcommands, one module each; cfglint.cli imports only the one that runs."""
