#!/usr/bin/env python3
"""Profile merge: how long planning and writing one profile takes as the AWS files grow.

Usage: .venv/bin/python benchmarks/profile_merge.py [--runs N]

For credentials and config files holding 10, 100 and 1,000 profiles, prints the median
time of ``plan_profile`` (read, check as botocore would, edit, re-check) and of
``apply_profile`` (backup, atomic write, fsync), then the median wall time of
``xraybuilder profile add --dry-run`` as a whole process. Figures for people, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xraybuilder.core.export.profiles import apply_profile, plan_profile

ROOT = Path(__file__).resolve().parent.parent
KEY_JSON = ROOT / "tests" / "profiles" / "create_access_key.json"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def files(count: int) -> tuple[bytes, bytes]:
    """Credentials and config text with ``count`` profiles each."""
    creds, config = [], []
    for i in range(count):
        creds.append(f"# profile {i}\n[p{i}]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n")
        creds.append(f"aws_secret_access_key = {'s' * 40}\n\n")
        config.append(f"[profile p{i}]\nregion = eu-west-1\noutput = json\n\n")
    return "".join(creds).encode(), "".join(config).encode()


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(f"{'profiles':>8}  {'plan ms':>8}  {'apply ms':>8}")
    with tempfile.TemporaryDirectory() as folder:
        creds, config = Path(folder) / "credentials", Path(folder) / "config"
        for count in (10, 100, 1000):
            creds_text, config_text = files(count)
            plans, applies = [], []
            for _ in range(args.runs):
                creds.write_bytes(creds_text)
                config.write_bytes(config_text)
                start = time.perf_counter()
                plan = plan_profile(
                    "new", KEY_ID, SECRET, "eu-west-1", credentials_path=creds, config_path=config
                )
                plans.append(time.perf_counter() - start)
                start = time.perf_counter()
                apply_profile(plan)
                applies.append(time.perf_counter() - start)
                for backup in Path(folder).glob("*.bak"):
                    backup.unlink()
            print(f"{count:>8}  {median_ms(plans):>8.2f}  {median_ms(applies):>8.2f}")

        creds.write_bytes(files(10)[0])
        config.write_bytes(files(10)[1])
        env = {**os.environ, "AWS_SHARED_CREDENTIALS_FILE": str(creds), "AWS_CONFIG_FILE": str(config)}
        command = [sys.executable, "-m", "xraybuilder", "profile", "add", "new", "--region", "eu-west-1"]
        command += ["--from-json", str(KEY_JSON), "--dry-run"]
        walls = []
        for _ in range(max(5, args.runs // 2)):
            start = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=True)
            walls.append(time.perf_counter() - start)
        print(f"'xraybuilder profile add --dry-run' as a whole process: {median_ms(walls):.0f} ms median")
    return 0


if __name__ == "__main__":
    sys.exit(main())
