"""Resources step: ARNs of other services are built field by field from the catalog's format."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Static
from tui_helpers import ready, settle

from xraybuilder.core.draft import Draft
from xraybuilder.tui.app import XrayBuilderApp

PARAMS = {"account": "123456789012", "region": "eu-west-1"}
DAEMON = "arn:aws:s3:::aws-xray-assets.eu-west-1/xray-daemon/*"


async def test_the_daemon_bucket_is_edited_part_by_part() -> None:
    app = XrayBuilderApp(preset="ec2", params=PARAMS, offer_resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await settle(pilot)
        app.go_step("resources")
        await settle(pilot)
        assert app.assessment is not None
        download = app.assessment.draft.editable().statements[1]  # type: ignore[index]
        assert download.resources == (DAEMON,)
        # One field per part of the catalog's S3 object ARN: partition, bucket, object.
        fields = [app.query_one(f"#ext-1-0-{n}", Input) for n in range(3)]
        assert [f.value for f in fields] == ["aws", "aws-xray-assets.eu-west-1", "xray-daemon/*"]
        fields[1].focus()
        await pilot.press("ctrl+u", *"team-assets")
        await settle(pilot)
        assert app.draft is not None and app.draft.statements is not None
        assert app.draft.statements[1].resources == ("arn:aws:s3:::team-assets/xray-daemon/*",)
        # "any" puts * in that part.
        app.query_one("#extany-1-0-2", Checkbox).focus()
        await pilot.press("space")
        await settle(pilot)
        assert app.draft.statements[1].resources == ("arn:aws:s3:::team-assets/*",)
        assert app.query_one("#ext-1-0-2", Input).disabled
        assert "arn:aws:s3:::team-assets/*" in str(app.query_one("#arns-1", Static).render())


async def test_a_resource_that_fits_no_catalog_format_says_why() -> None:
    draft = Draft.from_preset("ec2", PARAMS).editable().set_resources(1, ["arn:aws:s3:eu-west-1::odd"])
    app = XrayBuilderApp(offer_resume=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.replace_draft(draft)
        app.go_step("resources")
        await settle(pilot)
        shown = str(app.query_one("#res-1-0", Static).render())
        assert "Not editable here: it fits none of the catalog's ARN formats" in shown
        assert "s3 object" in shown
