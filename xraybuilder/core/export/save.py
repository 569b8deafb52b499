"""Saving text to a file without ever leaving half a file behind.

Every write goes to a temporary file beside the target, is flushed to disk, and then
renamed over the target in one step, so a crash or a full disk leaves the old file
exactly as it was. A symbolic link is written through: its target gets the new text and
the link stays a link.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

# Regular files are created as the user's umask allows, like any editor would.
DEFAULT_MODE = 0o666


class SaveError(Exception):
    """The file could not be written; the message says which file and why."""


class FileExists(SaveError):
    """The target exists and replacing it was not asked for."""


def expand(path: str | os.PathLike[str]) -> Path:
    """``path`` with ``~`` expanded (``~user`` too)."""
    return Path(os.path.expanduser(os.fspath(path)))


def resolve_link(path: Path) -> Path:
    """The file a write to ``path`` should replace: the final target of a symbolic link."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def _umask() -> int:
    # The umask can only be read by setting it; restore it at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; some systems cannot open a folder, which is fine.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _describe(err: OSError) -> str:
    return err.strerror or str(err)


def write_bytes_atomic(
    target: Path, data: bytes, *, mode: int, replace: bool = True, owner_of: Path | None = None
) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder.

    The temporary file gets ``mode`` (and the owner of the file it replaces, where the
    system allows) before any byte is written, is fsynced, then renamed over ``target``.
    With ``replace=False`` the final step fails with FileExists if ``target`` appeared
    meanwhile, instead of replacing it. Raises OSError on failure, after removing the
    temporary file: ``target`` is then untouched. ``owner_of`` names the file whose
    owner to keep when it is not ``target`` itself (a backup takes its original's).
    """
    try:
        previous: os.stat_result | None = os.stat(owner_of or target)
    except OSError:
        previous = None
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
            else:  # Windows before Python 3.13
                os.chmod(tmp, mode)
            _keep_owner(handle.fileno(), previous)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, target)
        else:
            _link_new(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


def _keep_owner(fd: int, previous: os.stat_result | None) -> None:
    # Run with sudo, a rewrite would otherwise hand the user's file to root.
    if previous is None or not hasattr(os, "fchown"):
        return
    if (previous.st_uid, previous.st_gid) == (os.geteuid(), os.getegid()):
        return
    with contextlib.suppress(OSError):  # only root may give a file away
        os.fchown(fd, previous.st_uid, previous.st_gid)


def _link_new(tmp: Path, target: Path) -> None:
    # A hard link fails atomically when the name is taken, unlike a rename.
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise FileExists(f"{target} already exists; confirm replacing it, or choose another name") from None
    except OSError as err:
        if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
            raise
        # Filesystems without hard links: check, then rename (a narrow race remains).
        if target.exists():
            raise FileExists(
                f"{target} already exists; confirm replacing it, or choose another name"
            ) from None
        os.replace(tmp, target)
        return
    tmp.unlink()


def save_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    overwrite: bool = False,
    make_parents: bool = False,
    mode: int | None = None,
) -> Path:
    """Write ``text`` (UTF-8, line ends as given) to ``path`` atomically; return the path written.

    ``~`` is expanded. An existing file is replaced only with ``overwrite=True``
    (FileExists otherwise); missing parent folders are created only with
    ``make_parents=True`` (SaveError otherwise). ``mode`` sets the permission bits of
    the result; without it a replaced file keeps its mode and a new file follows the
    umask. On any failure the previous file is left byte for byte as it was.
    """
    requested = expand(path)
    target = resolve_link(requested)
    if target.is_dir():
        raise SaveError(f"{requested} is a folder; give a file name")
    exists = target.exists()
    if exists and not overwrite:
        raise FileExists(f"{requested} already exists; confirm replacing it, or choose another name")
    folder = target.parent
    if not folder.is_dir():
        if folder.exists():
            raise SaveError(f"cannot save {requested}: {folder} is not a folder")
        if not make_parents:
            raise SaveError(f"cannot save {requested}: folder {folder} does not exist")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise SaveError(f"cannot create folder {folder}: {_describe(err)}") from None
    if mode is None:
        mode = stat.S_IMODE(target.stat().st_mode) if exists else DEFAULT_MODE & ~_umask()
    try:
        write_bytes_atomic(target, text.encode("utf-8"), mode=mode, replace=overwrite)
    except SaveError:
        raise
    except OSError as err:
        kept = "; the previous file is unchanged" if exists else ""
        raise SaveError(f"cannot save {requested}: {_describe(err)}{kept}") from None
    return requested
