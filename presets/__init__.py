"""Scenario presets shipped with xraybuilder (TOML data, loaded with importlib.resources)."""
