"""Loading presets: the shipped ones, the user's own, and clear messages for broken files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from xraybuilder.core import scenarios
from xraybuilder.core.bundle import build, check_expectations
from xraybuilder.core.scenarios import Library, PresetError, load_library

SHIPPED_IDS = {
    "console-read",
    "local-dev",
    "ec2",
    "ecs",
    "beanstalk",
    "lambda",
    "encryption-admin",
    "group-admin",
    "sampling-rule-admin",
}

GOOD = textwrap.dedent("""\
    id = "my-daemon"
    title = "My daemon"
    summary = "Upload traces from a Lambda function."
    description = "A small preset written by a user."
    baseline = ["AWSXRayDaemonWriteAccess"]

    [parameters.partition]
    type = "partition"
    default = "aws"
    description = "Partition."

    [parameters.role_name]
    type = "role_name"
    default = "my-role"
    description = "Role name."

    [[principal]]
    kind = "lambda-execution-role"
    label = "Lambda role {role_name}"
    service = "lambda"

    [names]
    role = "{role_name}"

    [[statement]]
    sid = "Write"
    actions = ["xray:PutTraceSegments"]
    resources = ["*"]

    [[expect.allowed]]
    action = "xray:PutTraceSegments"

    [[expect.denied]]
    action = "xray:GetTraceSummaries"
    """)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def load_with(tmp_path: Path, files: dict[str, str | bytes]) -> Library:
    folder = tmp_path / "presets"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return load_library(folder)


def only_error(lib: Library) -> PresetError:
    assert len(lib.errors) == 1, [str(e) for e in lib.errors]
    return lib.errors[0]


def test_every_shipped_preset_loads_from_the_installed_package() -> None:
    lib = load_library(include_user=False)
    assert lib.errors == ()
    assert set(lib.presets) == SHIPPED_IDS
    assert [p.id for p in lib.ordered()][:3] == ["console-read", "local-dev", "ec2"]
    for preset in lib.presets.values():
        assert preset.shipped and preset.source.startswith("presets/")
        # Shared parameters keep one name and one type everywhere.
        for name, kind in (("partition", "partition"), ("region", "region"), ("account", "account")):
            if name in preset.parameters:
                assert preset.parameters[name].type == kind
        assert preset.expectations and preset.baseline
        assert "\n" not in preset.summary and len(preset.summary) < 140


def test_presets_package_resolves_through_importlib_resources() -> None:
    from importlib import resources

    names = {e.name for e in resources.files("xraybuilder.presets").iterdir()}
    assert {f"{i}.toml" for i in SHIPPED_IDS} <= names
    assert "_service_principals.toml" in names


def test_a_good_user_preset_loads_builds_and_holds(tmp_path: Path) -> None:
    lib = load_with(tmp_path, {"mine.toml": GOOD})
    assert lib.errors == ()
    preset = lib.get("my-daemon")
    assert not preset.shipped and preset.source.endswith("mine.toml")
    assert SHIPPED_IDS <= set(lib.presets)
    bundle = build(preset, {"role_name": "fn-role"})
    assert bundle.names == {"role": "fn-role"}
    assert bundle.principal_label == "Lambda role fn-role"
    assert all(r.holds for r in check_expectations(bundle))


def test_user_dir_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(scenarios.CONFIG_DIR_ENV, str(tmp_path))
    assert scenarios.user_presets_dir() == tmp_path / "presets"
    load_with(tmp_path, {"mine.toml": GOOD})
    assert "my-daemon" in scenarios.load_library().presets
    assert scenarios.get_preset("my-daemon").id == "my-daemon"


def test_broken_toml_names_file_line_and_column(tmp_path: Path) -> None:
    text = GOOD.replace('title = "My daemon"', 'title = "My daemon')
    lib = load_with(tmp_path, {"broken.toml": text})
    err = only_error(lib)
    assert err.file.endswith("broken.toml")
    assert err.line == 2
    assert "TOML syntax error" in err.message and "column" in err.message
    assert str(err).startswith(f"{err.file}:2: ")


@pytest.mark.parametrize(
    ("change", "needle", "key", "words"),
    [
        (
            ('title = "My daemon"', 'titel = "My daemon"'),
            "titel",
            "titel",
            ["unknown key 'titel'", "did you mean 'title'?"],
        ),
        (
            ('type = "role_name"', 'type = "role_name"\ndefualt = "x"'),
            "defualt",
            "parameters.role_name.defualt",
            ["unknown key 'defualt'", "did you mean 'default'?"],
        ),
        (
            ('type = "role_name"', 'type = "integer"'),
            'type = "integer"',
            "parameters.role_name.type",
            ["unknown parameter type 'integer'", "known types: string, bool"],
        ),
        (
            ('default = "my-role"', "default = 5"),
            "default = 5",
            "parameters.role_name.default",
            ["must be a string, not an integer"],
        ),
        (
            ('default = "my-role"', 'default = "my role"'),
            'default = "my role"',
            "parameters.role_name.default",
            ["the default is not valid", "role name holds ' '"],
        ),
        (
            ('default = "my-role"', 'default = "my-role"\nrequired = "yes"'),
            'required = "yes"',
            "parameters.role_name.required",
            ["must be true or false, not a string"],
        ),
        (
            ('action = "xray:GetTraceSummaries"', 'action = "xray:GetTraceSumaries"'),
            "GetTraceSumaries",
            "expect.denied[0].action",
            ["unknown action 'xray:GetTraceSumaries'", "did you mean 'xray:GetTraceSummaries'?"],
        ),
        (
            ('action = "xray:GetTraceSummaries"', 'action = "xyz:Get"'),
            'action = "xyz:Get"',
            "expect.denied[0].action",
            ["the catalog has no service 'xyz'"],
        ),
        (
            ('actions = ["xray:PutTraceSegments"]', 'actions = ["xray:Put*"]'),
            "xray:Put*",
            "statement[0].actions[0]",
            ["list actions by name here"],
        ),
        (
            ('role = "{role_name}"', 'role = "{role}"'),
            'role = "{role}"',
            "names.role",
            ["{role} is not a parameter of this preset", "did you mean 'role_name'?"],
        ),
        (
            ('kind = "lambda-execution-role"', 'kind = "lambda-role"'),
            "lambda-role",
            "principal[0].kind",
            ["unknown principal kind 'lambda-role'", "did you mean 'lambda-execution-role'?"],
        ),
        (
            ('baseline = ["AWSXRayDaemonWriteAccess"]', 'baseline = ["AWSXRayDaemonWrite"]'),
            "baseline",
            "baseline[0]",
            ["unknown managed policy 'AWSXRayDaemonWrite'"],
        ),
        (
            ('sid = "Write"', 'sid = "Write traces"'),
            'sid = "Write traces"',
            "statement[0].sid",
            ["a Sid holds only letters and digits"],
        ),
        (
            (
                'resources = ["*"]',
                'resources = ["*"]\n[[statement.condition]]\noperator = "stringequals"\n'
                'key = "aws:RequestedRegion"\nvalues = ["us-east-1"]',
            ),
            "stringequals",
            "statement[0].condition[0].operator",
            ["unknown condition operator 'stringequals'", "write 'StringEquals'"],
        ),
    ],
)
def test_schema_errors_name_file_line_key_and_what_is_allowed(
    tmp_path: Path,
    change: tuple[str, str],
    needle: str,
    key: str,
    words: list[str],
) -> None:
    assert change[0] in GOOD
    text = GOOD.replace(change[0], change[1], 1)
    err = only_error(load_with(tmp_path, {"bad.toml": text}))
    assert err.file.endswith("bad.toml")
    assert err.key == key
    assert err.line == line_of(text, needle), str(err)
    for word in words:
        assert word in err.message, str(err)
    assert str(err) == f"{err.file}:{err.line}: {key}: {err.message}"


def test_condition_key_must_be_supported_by_every_action_of_its_statement(tmp_path: Path) -> None:
    text = GOOD.replace(
        """[[expect.allowed]]""",
        textwrap.dedent("""\
        [[statement]]
        sid = "Groups"
        actions = ["xray:GetGroup"]
        resources = ["arn:{partition}:xray:*:*:group/*/*"]

        [[statement.condition]]
        operator = "StringEquals"
        key = "aws:RequestTag/team"
        values = ["web"]

        [[expect.allowed]]"""),
        1,
    )
    err = only_error(load_with(tmp_path, {"tags.toml": text}))
    assert err.key == "statement[1].condition[0].key"
    assert err.line == line_of(text, 'key = "aws:RequestTag/team"')
    assert "xray:GetGroup does not support the condition key aws:RequestTag/team" in err.message
    assert "it supports aws:ResourceTag/${TagKey}" in err.message


def test_a_template_may_only_use_parameters_in_play_where_it_is_used(tmp_path: Path) -> None:
    text = GOOD.replace(
        """[[principal]]""",
        textwrap.dedent("""\
        [parameters.tagged]
        type = "bool"
        default = false
        description = "Tag it."

        [parameters.team]
        type = "tag_value"
        required = true
        description = "Team."
        when = { tagged = true }

        [[principal]]"""),
        1,
    ).replace('role = "{role_name}"', 'role = "{role_name}-{team}"')
    err = only_error(load_with(tmp_path, {"scope.toml": text}))
    assert err.key == "names.role"
    assert "{team} only has a value when tagged = true" in err.message


def test_broken_presets_do_not_stop_the_good_ones(tmp_path: Path) -> None:
    lib = load_with(
        tmp_path,
        {
            "a-bad-toml.toml": "id = \n",
            "b-good.toml": GOOD,
            "c-unknown-key.toml": GOOD.replace('id = "my-daemon"', 'id = "other"\ncolour = "red"'),
            "d-not-utf8.toml": GOOD.encode("utf-8").replace(b"My daemon", b"My d\xe6mon"),
            "notes.txt": "not a preset",
        },
    )
    assert "my-daemon" in lib.presets and SHIPPED_IDS <= set(lib.presets)
    messages = sorted(str(e) for e in lib.errors)
    assert len(messages) == 3
    assert "a-bad-toml.toml:1: " in messages[0] and "TOML syntax error" in messages[0]
    assert "c-unknown-key.toml:2: colour: unknown key 'colour'" in messages[1]
    assert "d-not-utf8.toml:2: the file is not UTF-8 text" in messages[2]


def test_duplicate_user_ids_are_refused_and_shipped_ids_are_replaced_with_a_warning(tmp_path: Path) -> None:
    mine_ec2 = GOOD.replace('id = "my-daemon"', 'id = "ec2"')
    lib = load_with(tmp_path, {"a.toml": GOOD, "b.toml": GOOD, "c.toml": mine_ec2})
    err = only_error(lib)
    assert err.file.endswith("b.toml") and err.key == "id" and err.line == 1
    assert "already used by" in err.message and "a.toml" in err.message
    assert not lib.presets["ec2"].shipped
    assert any("replaces the shipped preset 'ec2'" in w for w in lib.warnings)


def test_unknown_preset_suggests_the_closest_and_lists_all() -> None:
    lib = load_library(include_user=False)
    with pytest.raises(scenarios.UnknownPreset) as info:
        lib.get("lamda")
    assert info.value.suggestion == "lambda"
    text = str(info.value)
    assert "Did you mean 'lambda'?" in text
    for pid in SHIPPED_IDS:
        assert pid in text


def test_an_edited_user_preset_is_read_again(tmp_path: Path) -> None:
    lib = load_with(tmp_path, {"mine.toml": GOOD})
    assert lib.get("my-daemon").title == "My daemon"
    path = tmp_path / "presets" / "mine.toml"
    path.write_text(GOOD.replace('title = "My daemon"', 'title = "My daemon, edited"'), encoding="utf-8")
    assert load_library(tmp_path / "presets").get("my-daemon").title == "My daemon, edited"


def test_key_lines_follow_tables_arrays_and_multiline_values() -> None:
    text = textwrap.dedent('''\
        id = "x"
        description = """
        a = "not a key"
        """
        list = [
          "a",
          "b",
        ]

        [parameters.region]
        type = "region"

        [[statement]]
        sid = "A"

        [[statement.condition]]
        key = "k"

        [[statement]]
        sid = "B"

        [[statement.condition]]
        key = "k2"
        ''')
    lines = scenarios.key_lines(text)
    assert lines[("id",)] == 1
    assert ("a",) not in lines
    assert lines[("parameters", "region", "type")] == 11
    assert lines[("statement", 0, "sid")] == 14
    assert lines[("statement", 1, "sid")] == 20
    assert lines[("statement", 1, "condition", 0, "key")] == 23


def test_a_parameters_when_may_only_use_parameters_declared_before_it(tmp_path: Path) -> None:
    text = GOOD.replace('description = "Role name."', 'description = "Role name."\nwhen = { late = true }')
    text = text.replace(
        "[[principal]]",
        '[parameters.late]\ntype = "bool"\ndefault = true\n'
        'description = "Declared after role_name."\n\n[[principal]]',
        1,
    )
    err = only_error(load_with(tmp_path, {"order.toml": text}))
    assert err.key == "parameters.role_name.when.late"
    assert "'late' is declared further down" in err.message
    assert err.line == line_of(text, "when = { late = true }")
