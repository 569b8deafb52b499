"""Read the JSON data files shipped in ``xraybuilder/core/data/``."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def read_json(name: str) -> Any:
    """The parsed contents of ``data/NAME``, read once per process."""
    return json.loads(resources.files("xraybuilder.core").joinpath("data", name).read_text("utf-8"))
