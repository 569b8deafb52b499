"""The pre-commit hook (``.pre-commit-hooks.yaml``), run by pre-commit itself.

``pre-commit try-repo`` installs this repository into a fresh virtual environment with
pip, as a user's pre-commit does, and runs the hook in a temporary git repository.
Without pre-commit, git or a package index the test is skipped, saying why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOK = "xraybuilder-lint"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _pip_settings() -> dict[str, str]:
    """pip's settings from the environment, and the developer's pip cache.

    The hook's fresh environment still installs every package, but downloads them as the
    developer's pip would (index, proxy, certificates) and reuses what pip fetched before,
    such as this project's own install moments earlier.
    """
    from platformdirs import user_cache_dir

    names = {"HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"}
    kept = {k: v for k, v in os.environ.items() if k.startswith("PIP_") or k.upper() in names}
    kept.setdefault("PIP_CACHE_DIR", user_cache_dir("pip"))
    return kept


def _policy(resource: str) -> str:
    statement = {"Effect": "Allow", "Action": "xray:GetGroup", "Resource": resource}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, indent=2) + "\n"


def test_the_hook_lints_policy_files_and_skips_other_json(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (it is in the test extra)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", ".")
    _git(repo, "config", "user.email", "dev@example.com")
    _git(repo, "config", "user.name", "dev")
    (repo / "policy.json").write_text(_policy("arm:aws:xray:us-east-1:123456789012:group/a/*"), "utf-8")
    (repo / "package.json").write_text('{"name": "not a policy"}\n', "utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "policies")
    env = {
        **_pip_settings(),
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), HOOK, "--all-files"]

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env, timeout=900)

    broken = run()
    if "An unexpected error has occurred" in broken.stdout or "CalledProcessError" in broken.stdout:
        pytest.skip(f"pre-commit could not install the hook (offline?): {broken.stdout[-400:]}")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "policy.json:" in broken.stdout and "INVALID_ARN_PREFIX" in broken.stdout
    assert "package.json: note: skipped: not a policy" in broken.stdout

    (repo / "policy.json").write_text(_policy("arn:aws:xray:us-east-1:123456789012:group/a/*"), "utf-8")
    _git(repo, "commit", "-q", "-am", "fix the ARN")
    fixed = run()
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout
