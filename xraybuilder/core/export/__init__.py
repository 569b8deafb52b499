"""Exports: the files and texts a built policy is delivered as."""
