"""Widgets of the builder: each one shows what a core function returns, nothing more.

Import them from their modules (``xraybuilder.tui.widgets.preview`` …): each pulls in only
what it needs, so the first frame does not wait for the ones not yet on screen.
"""
