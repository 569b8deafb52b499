"""save_text: atomic, never replacing a file unasked, never leaving half a file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from xraybuilder.core.export.save import FileExists, SaveError, save_text, write_bytes_atomic

OLD = "old text\r\nkept exactly\r\n"
NEW = '{\n  "Version": "2012-10-17"\n}\n\u00e9\r\n'


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_new_file_gets_the_text_byte_for_byte(tmp_path: Path) -> None:
    target = tmp_path / "policy.json"
    assert save_text(target, NEW) == target
    assert target.read_bytes() == NEW.encode("utf-8")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert leftovers(tmp_path) == []


def test_home_folder_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    written = save_text("~/out.tf", "x\n")
    assert written == tmp_path / "out.tf" and written.read_text() == "x\n"


def test_existing_file_is_not_replaced_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "main.tf"
    target.write_bytes(OLD.encode())
    with pytest.raises(FileExists, match="already exists"):
        save_text(target, NEW)
    assert target.read_bytes() == OLD.encode() and leftovers(tmp_path) == []
    assert issubclass(FileExists, SaveError)


def test_overwrite_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "main.tf"
    target.write_bytes(OLD.encode())
    target.chmod(0o640)
    save_text(target, NEW, overwrite=True)
    assert target.read_bytes() == NEW.encode() and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_mode_is_applied(tmp_path: Path) -> None:
    target = tmp_path / "keys.txt"
    save_text(target, "k\n", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_missing_folder_is_an_error_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "policy.json"
    with pytest.raises(SaveError, match="does not exist"):
        save_text(target, NEW)
    assert not (tmp_path / "a").exists()
    save_text(target, NEW, make_parents=True)
    assert target.read_bytes() == NEW.encode()


def test_folder_and_file_in_the_way(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="is a folder"):
        save_text(tmp_path, NEW, overwrite=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(SaveError, match="is not a folder"):
        save_text(tmp_path / "file" / "inner.json", NEW, make_parents=True)


def test_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    save_text(link, NEW, overwrite=True)
    assert link.is_symlink() and real.read_bytes() == NEW.encode()


@pytest.mark.parametrize("failing", ["replace", "fsync", "fchmod"])
def test_a_failed_write_leaves_the_old_file_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "policy.json"
    target.write_bytes(OLD.encode())

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(SaveError) as caught:
        save_text(target, NEW, overwrite=True)
    assert str(caught.value) == (
        f"cannot save {target}: No space left on device; the previous file is unchanged"
    )
    assert target.read_bytes() == OLD.encode()
    assert leftovers(tmp_path) == []


def test_a_file_appearing_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    # The last step of a no-overwrite save refuses a name taken after the first check.
    target = tmp_path / "policy.json"
    target.write_bytes(OLD.encode())
    with pytest.raises(FileExists):
        write_bytes_atomic(target, b"new", mode=0o644, replace=False)
    assert target.read_bytes() == OLD.encode() and leftovers(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give files away")
def test_a_replaced_file_keeps_its_owner(tmp_path: Path) -> None:
    # As under sudo: the user's file must not become root's.
    target = tmp_path / "credentials"
    target.write_bytes(OLD.encode())
    os.chown(target, 4321, 4321)
    save_text(target, NEW, overwrite=True, mode=0o600)
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 4321, 0o600)
