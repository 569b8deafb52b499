"""One catalog query for the presets, ``xraybuilder actions`` and the explainer."""

from __future__ import annotations

import pytest

from xraybuilder.core import catalog
from xraybuilder.core.catalog.query import (
    ActionQuery,
    by_access_level,
    level_rank,
    level_total,
    parse_access_level,
)
from xraybuilder.core.scenarios import model


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("read", "Read"),
        ("permissions-management", "Permissions management"),
        ("PERMISSIONS_MANAGEMENT", "Permissions management"),
        (" Tagging ", "Tagging"),
        ("admin", None),
    ],
)
def test_parse_access_level(typed: str, level: str | None) -> None:
    assert parse_access_level(typed) == level


def test_selection_comes_by_access_level_then_name() -> None:
    chosen = ActionQuery("xray").select()
    assert len(chosen) == len(catalog.xray().actions)
    assert list(chosen) == sorted(chosen, key=lambda a: (level_rank(a.access_level), a.name.lower()))
    assert by_access_level(reversed(chosen)) == chosen


def test_filters() -> None:
    star_only = ActionQuery("xray", resource_types=("none",)).select()
    assert star_only and all(not a.resource_types for a in star_only)
    groups = ActionQuery("xray", access_levels=("Write",), resource_types=("group",)).run()
    assert groups == ["xray:CreateGroup", "xray:DeleteGroup", "xray:UpdateGroup"]
    assert ActionQuery("xray", match=("Get[G]roup",)).run() == []
    assert ActionQuery("xray", match=("get?roup",), exclude=("xray:GetGroup",)).run() == []
    words = ActionQuery("xray", words=("ENCRYPTION", "config")).run()
    assert words == ["xray:GetEncryptionConfig", "xray:PutEncryptionConfig"]
    assert ActionQuery("nosuchservice").select() == ()


def test_level_totals_add_up_to_the_service() -> None:
    for prefix in catalog.service_prefixes():
        svc = catalog.service(prefix)
        assert svc is not None
        assert sum(level_total(prefix, level) for level in catalog.ACCESS_LEVELS) == len(svc.actions)


def test_presets_read_their_query_from_the_catalog_module() -> None:
    assert model.ActionQuery is ActionQuery
    described = ActionQuery("xray", ("Read",), ("none",), ("Get*",), ("xray:GetGroups",)).describe()
    assert described == "access level Read of xray scoped to '*' only named Get* except xray:GetGroups"
