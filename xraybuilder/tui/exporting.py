"""Export actions the app offers outside the Export step (command palette: "export: copy as …")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment

FORMAT_TITLES = {
    "json": "JSON",
    "aws-cli": "AWS CLI",
    "terraform": "Terraform",
    "cloudformation": "CloudFormation (YAML)",
    "cloudformation-json": "CloudFormation (JSON)",
    "aws-config": "AWS profile",
}


def copy_export(app: Any, fmt: str) -> tuple[str, bool]:
    """Copy one export to the clipboard; a message for the user and whether it worked."""
    assessment = app.assessment
    if assessment is None:
        return "Nothing to export yet: choose a scenario first.", False
    if not assessment.ok:
        return "The policy has errors or parameter problems: fix them before exporting (see Review).", False
    from xraybuilder.core.export import render
    from xraybuilder.core.export.clipboard import copy_text

    bundle = assessment.export_bundle()
    if bundle is None:
        return "There is no policy to export.", False
    text = render(bundle, fmt)
    result = copy_text(text, osc52=app.copy_to_clipboard)
    if not result.ok:
        return f"{result.message}. Save it from the Export step instead.", False
    app.mark_saved()
    return f"{FORMAT_TITLES.get(fmt, fmt)}: {result.message}", True


def export_files(assessment: Assessment, fmt: str) -> dict[str, str]:
    """File name -> text of one export format (what ``new --out`` writes for a preset)."""
    from xraybuilder.core.export import render_files

    bundle = assessment.export_bundle()
    return render_files(bundle, fmt) if bundle is not None else {}


def save_files(files: dict[str, str], folder: str, *, overwrite: bool) -> list[str]:
    """Write the files into ``folder`` (created if missing); FileExists names the first clash.

    Clashes are checked before anything is written, so a refusal writes nothing.
    """
    from xraybuilder.core.export.save import FileExists, expand, save_text

    target = expand(folder)
    if not overwrite:
        taken = [name for name in files if (target / name).exists()]
        if taken:
            raise FileExists(f"{', '.join(taken)} already exist in {target}")
    return [
        str(save_text(target / name, text, overwrite=overwrite, make_parents=True))
        for name, text in files.items()
    ]
