"""``xraybuilder lint --format sarif`` checked by Microsoft's SARIF multitool (``validate``).

The multitool comes from npm; without npm or the network the test is skipped, saying why.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
MULTITOOL = "@microsoft/sarif-multitool@5.7.0"


@pytest.fixture(scope="module")
def multitool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed, so the SARIF multitool cannot be fetched")
    prefix = tmp_path_factory.mktemp("sarif-multitool")
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix), MULTITOOL],
        capture_output=True,
        text=True,
        timeout=600,
    )
    tool = prefix / "node_modules" / ".bin" / "sarif-multitool"
    if done.returncode != 0 or not tool.exists():
        pytest.skip(f"npm could not install {MULTITOOL} (offline?): {done.stderr.strip()[-300:]}")
    # npm may leave the platform binary without its execute bit (install scripts off).
    for binary in (prefix / "node_modules" / "@microsoft").glob("sarif-multitool-*/Sarif.Multitool"):
        binary.chmod(binary.stat().st_mode | 0o100)
    return tool


def test_sarif_output_passes_the_multitool(multitool: Path, tmp_path: Path) -> None:
    files = [
        CORPUS / "error_arn_prefix.json",  # absolute: a file:// URI
        CORPUS / "security_passrole_star.json",
        CORPUS / "error_json_trailing_comma.json",
        CORPUS / "valid_daemon_write.json",
    ]
    relative = tmp_path / "relative.json"
    relative.write_text((CORPUS / "error_arn_prefix.json").read_text("utf-8"), "utf-8")
    lint = subprocess.run(
        [sys.executable, "-m", "xraybuilder", "lint", "--format", "sarif", *map(str, files), "relative.json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert lint.returncode == 1, lint.stderr
    log = tmp_path / "lint.sarif"
    log.write_text(lint.stdout, "utf-8")
    report = tmp_path / "validation.sarif"
    done = subprocess.run(
        [str(multitool), "validate", str(log), "--output", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert report.exists(), done.stdout + done.stderr
    problems = [
        (r["ruleId"], r.get("level", "warning"), r["message"].get("text", r["message"].get("id")))
        for sarif_run in json.loads(report.read_text("utf-8"))["runs"]
        for r in sarif_run.get("results", [])
        if r.get("level", "warning") in ("error", "warning")
    ]
    assert problems == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(lint.stdout)["runs"][0]["results"]
    }
    assert files[0].as_uri() in uris and "relative.json" in uris
