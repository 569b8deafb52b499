"""The real app in a real terminal (tmux): it paints, answers keys and quits cleanly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)"
)


def _poll(check, attempts: int = 150) -> bool:  # type: ignore[no-untyped-def]
    # Polls until the terminal shows what is expected; a slow machine only takes more rounds.
    for _ in range(attempts):
        if check():
            return True
        time.sleep(0.2)
    return False


def test_app_starts_in_tmux_and_quits_on_ctrl_q(tmp_path: Path) -> None:
    # tmp_path's last part is the same in every run: the process id keeps the tmux servers of
    # test runs side by side (parallel workers, other checkouts) apart.
    socket = f"xraybuilder-test-{os.getpid()}-{tmp_path.name}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    status = tmp_path / "status"
    command = (
        f"env TERM=xterm-256color XRAYBUILDER_STATE_DIR={tmp_path / 'state'} "
        f"XRAYBUILDER_CONFIG_DIR={tmp_path / 'config'} {sys.executable} -m xraybuilder; "
        f"echo $? > {status}"
    )

    def screen() -> str:
        done = subprocess.run([*tmux, "capture-pane", "-p", "-t", "app"], capture_output=True, text=True)
        return done.stdout

    subprocess.run([*tmux, "new-session", "-d", "-s", "app", "-x", "100", "-y", "30", command], check=True)
    try:
        assert _poll(lambda: "Amazon EC2 instance" in screen()), screen()
        assert "What are you setting up?" in screen()
        subprocess.run([*tmux, "send-keys", "-t", "app", "C-q"], check=True)
        assert _poll(status.exists), screen()
        assert status.read_text().strip() == "0"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
