"""Regenerate the golden export files in tests/golden/ (what users get, one preset per format).

    python scripts/update_golden.py          # rewrite the files
    python scripts/update_golden.py --check  # exit 1 and name the files that differ

tests/export/test_golden.py compares the same texts, so a change in an export shows up
in review as a diff of these files.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "tests" / "golden"

# (file name, preset, parameters, format)
GOLDEN: tuple[tuple[str, str, dict[str, str], str], ...] = (
    ("ec2.json", "ec2", {}, "json"),
    ("ec2.aws-cli.sh", "ec2", {}, "aws-cli"),
    ("ec2.terraform.tf", "ec2", {}, "terraform"),
    ("ec2.cloudformation.yaml", "ec2", {}, "cloudformation"),
    ("ec2.cloudformation.json", "ec2", {}, "cloudformation-json"),
    ("local-dev.aws-config.ini", "local-dev", {}, "aws-config"),
)


def golden() -> dict[str, str]:
    """File name -> the text the export gives today."""
    from xraybuilder.core.bundle import build
    from xraybuilder.core.export import render

    return {name: render(build(preset, params), fmt) for name, preset, params, fmt in GOLDEN}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report the files that differ")
    args = parser.parse_args(argv)
    differ = []
    for name, text in golden().items():
        path = FOLDER / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            continue
        differ.append(name)
        if not args.check:
            FOLDER.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
    for name in differ:
        print(f"{'differs' if args.check else 'wrote'}: tests/golden/{name}")
    return 1 if args.check and differ else 0


if __name__ == "__main__":
    # The user's own presets must not change the golden files.
    os.environ["XRAYBUILDER_CONFIG_DIR"] = str(FOLDER / "no-user-config")
    sys.exit(main())
