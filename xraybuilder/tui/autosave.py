"""The draft kept on disk after each change, so a crash or ``kill -9`` loses nothing.

One TOML file in the user state dir (``XRAYBUILDER_STATE_DIR`` overrides it), written
atomically: a reader sees the old draft or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xraybuilder.core.draft import Draft

STATE_DIR_ENV = "XRAYBUILDER_STATE_DIR"
FILE_NAME = "draft.toml"


def state_dir() -> Path:
    """``$XRAYBUILDER_STATE_DIR`` or the platform's user state dir."""
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override)
    from platformdirs import user_state_dir

    return Path(user_state_dir("xraybuilder"))


def draft_path() -> Path:
    return state_dir() / FILE_NAME


@dataclass(frozen=True)
class SavedDraft:
    """An autosaved draft; ``draft`` is None when the file no longer reads (``problem`` says why)."""

    path: Path
    saved: float
    draft: Draft | None
    problem: str = ""

    def describe(self) -> str:
        """``the EC2 draft saved 12:04``, for the resume question."""
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved))
        if self.draft is None:
            return f"a draft saved {when} (it cannot be read: {self.problem})"
        draft = self.draft
        what = {
            "preset": f"the {draft.preset_id} draft",
            "custom": "a custom policy",
            "file": f"your edit of {draft.file_name}",
        }.get(draft.origin, "a draft")
        return f"{what}, saved {when}"


def save(draft: Draft) -> str | None:
    """Write the draft; None on success, else a one-line reason (never raises)."""
    path = draft_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".draft.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(draft.to_toml())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        return f"could not autosave the draft to {path}: {err.strerror or err}"
    return None


def load() -> SavedDraft | None:
    """The autosaved draft, or None when there is none."""
    from xraybuilder.core.draft import Draft, DraftError

    path = draft_path()
    try:
        text = path.read_text("utf-8")
        saved = path.stat().st_mtime
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        return SavedDraft(path, time.time(), None, str(err))
    try:
        return SavedDraft(path, saved, Draft.from_toml(text))
    except DraftError as err:
        return SavedDraft(path, saved, None, f"{path}: {err}")


def clear() -> None:
    """Forget the autosaved draft (the user finished or discarded it)."""
    draft_path().unlink(missing_ok=True)
