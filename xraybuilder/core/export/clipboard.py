"""Copying text to the system clipboard, and the words shells use to report it.

Shells try two ways: OSC 52 (an escape sequence the terminal turns into a clipboard
write; Textual's ``App.copy_to_clipboard`` sends it, and it works over SSH), then
pyperclip (which needs xclip, xsel or wl-copy with a display, or the platform's own
tool). Neither ever raises here: a failure becomes one line the user can act on, and
the shell offers to save the text to a file instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

OSC52 = "OSC 52"
PYPERCLIP = "system clipboard"
SAVE_HINT = "save it to a file instead"


def copy_with_pyperclip(text: str) -> str | None:
    """Copy ``text`` with pyperclip; None on success, else a one-line reason (never raises)."""
    try:
        import pyperclip  # only copying needs it, and it probes the platform on import
    except ImportError:
        return "pyperclip is not installed"
    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        return _missing_backend_reason()
    except Exception as err:  # a copy tool that crashes or vanishes mid-way
        return f"the clipboard tool failed ({type(err).__name__})"
    return None


def _missing_backend_reason() -> str:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return "no graphical display (DISPLAY is not set), so there is no system clipboard"
    return "no clipboard tool found (install xclip, xsel or wl-clipboard)"


def copied_message(count: int, via: str) -> str:
    """``Copied 1,234 characters (OSC 52)``."""
    noun = "character" if count == 1 else "characters"
    return f"Copied {count:,} {noun} ({via})"


def no_clipboard_message(reason: str) -> str:
    """One line for when nothing could copy: the reason, and what to do instead."""
    return f"No clipboard here: {reason}; {SAVE_HINT}"


@dataclass(frozen=True)
class CopyResult:
    """What a copy attempt achieved."""

    characters: int
    via: tuple[str, ...]  # the ways that took the text, in the order tried
    reason: str | None  # why pyperclip could not copy, when it could not

    @property
    def ok(self) -> bool:
        """True when at least one way took the text."""
        return bool(self.via)

    @property
    def message(self) -> str:
        """The line a shell shows after copying."""
        if not self.via:
            return no_clipboard_message(self.reason or "nothing could copy")
        return copied_message(self.characters, " and ".join(self.via))


def copy_text(
    text: str,
    *,
    osc52: Callable[[str], None] | None = None,
    pyperclip_copy: Callable[[str], str | None] = copy_with_pyperclip,
) -> CopyResult:
    """Copy ``text`` by OSC 52 (when the shell gives a way to send it), then by pyperclip.

    ``osc52`` is the shell's sender, e.g. Textual's ``App.copy_to_clipboard``; sending
    cannot tell whether the terminal honoured it, so pyperclip is tried as well.
    """
    via: list[str] = []
    if osc52 is not None:
        try:
            osc52(text)
        except Exception:  # a terminal gone away; pyperclip may still work
            pass
        else:
            via.append(OSC52)
    reason = pyperclip_copy(text)
    if reason is None:
        via.append(PYPERCLIP)
    return CopyResult(characters=len(text), via=tuple(via), reason=reason)
