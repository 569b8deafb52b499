"""Exports: turning an assessed draft into files and text that real tools accept."""
