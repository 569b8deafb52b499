"""Scenario presets: one TOML file per way of giving X-Ray permissions.

A preset says which principal it makes, its parameters (with defaults, descriptions and
validation), the statements it builds as catalog queries or short action lists, the trust
policy, attached managed policies, KMS key-policy statements, snippets, notes, and the
requests that must be allowed or denied. :mod:`xraybuilder.core.bundle` turns a preset
and its values into documents.

``model`` holds the preset and its errors, ``values`` what parameters accept and how
they resolve, ``reader`` checks one TOML file against the schema, ``loader`` finds the
shipped and user presets, ``principals`` the service principal of each partition.
"""

from __future__ import annotations

from xraybuilder.core.scenarios.loader import (
    CONFIG_DIR_ENV,
    Library,
    config_dir,
    get_preset,
    load_library,
    read_preset_file,
    user_presets_dir,
)
from xraybuilder.core.scenarios.model import (
    PRINCIPAL_KINDS,
    ActionQuery,
    BuildError,
    ConditionSpec,
    ExpectationSpec,
    KeyPolicyStatementSpec,
    ManagedAttachment,
    NoteSpec,
    Parameter,
    ParameterProblem,
    Preset,
    PresetError,
    PrincipalSpec,
    SnippetSpec,
    StatementSpec,
    UnknownPreset,
    Value,
    When,
    holds,
    when_text,
)
from xraybuilder.core.scenarios.principals import service_principal, service_principals
from xraybuilder.core.scenarios.reader import key_lines, read_preset
from xraybuilder.core.scenarios.values import (
    BUILTINS,
    PARAMETER_TYPES,
    Resolution,
    builtin_values,
    fill,
    fill_list,
    parse_value,
    placeholders,
    resolve,
    value_text,
)

__all__ = [
    "BUILTINS",
    "CONFIG_DIR_ENV",
    "PARAMETER_TYPES",
    "PRINCIPAL_KINDS",
    "ActionQuery",
    "BuildError",
    "ConditionSpec",
    "ExpectationSpec",
    "KeyPolicyStatementSpec",
    "Library",
    "ManagedAttachment",
    "NoteSpec",
    "Parameter",
    "ParameterProblem",
    "Preset",
    "PresetError",
    "PrincipalSpec",
    "Resolution",
    "SnippetSpec",
    "StatementSpec",
    "UnknownPreset",
    "Value",
    "When",
    "builtin_values",
    "config_dir",
    "fill",
    "fill_list",
    "get_preset",
    "holds",
    "key_lines",
    "load_library",
    "parse_value",
    "placeholders",
    "read_preset",
    "read_preset_file",
    "resolve",
    "service_principal",
    "service_principals",
    "user_presets_dir",
    "value_text",
    "when_text",
]
