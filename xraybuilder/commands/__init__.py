"""Subcommands of the ``xraybuilder`` CLI; each module imports the core lazily."""
