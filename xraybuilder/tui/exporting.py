"""Export actions the app offers outside the Export step (command palette: "export: copy as …")."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xraybuilder.core.assess import Assessment
    from xraybuilder.core.bundle import Bundle
    from xraybuilder.tui.widgets.dialogs import SaveScreen

# Files that may end up holding keys once filled in are written private from the start.
PRIVATE_FORMATS = frozenset({"aws-config"})
PRIVATE_MODE = 0o600

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


def planned_files(bundle: Bundle, fmt: str, answer: str) -> dict[Path, str]:
    """Path -> text for saving ``fmt`` at ``answer``: a folder gets every file, a file one text.

    A folder is a path ending in a separator or one that exists as a folder.
    """
    from xraybuilder.core.export import render, render_files
    from xraybuilder.core.export.save import expand

    target = expand(answer)
    if answer.endswith(("/", "\\")) or target.is_dir():
        return {target / name: text for name, text in render_files(bundle, fmt).items()}
    return {target: render(bundle, fmt)}


def save_screen(bundle: Bundle, fmt: str) -> SaveScreen:
    """The save dialog for one export format of ``bundle`` (private files for profiles)."""
    from xraybuilder.core.export import render_files
    from xraybuilder.tui.widgets.dialogs import SaveScreen

    return SaveScreen(
        f"Save the {FORMAT_TITLES.get(fmt, fmt)} export",
        f"./xraybuilder-{bundle.preset_id}/",
        lambda answer: planned_files(bundle, fmt, answer),
        folder_files=tuple(render_files(bundle, fmt)),
        mode=PRIVATE_MODE if fmt in PRIVATE_FORMATS else None,
    )


def saved_message(written: list[Path]) -> str:
    """What a save wrote, in one line."""
    if len(written) == 1:
        return f"Saved {written[0]}"
    names = ", ".join(path.name for path in written)
    return f"Saved {len(written)} files to {written[0].parent}: {names}"
