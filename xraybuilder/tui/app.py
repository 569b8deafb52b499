"""The Textual application."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

WELCOME = """\
[b]xraybuilder[/b] builds least-privilege IAM policies for AWS X-Ray.

The full-screen builder is on its way. Meanwhile the command line does the work:

  xraybuilder presets list                 the nine scenarios (EC2, ECS, Lambda, …)
  xraybuilder new ec2 -p region=eu-west-1  build one: policies, trust, notes
  xraybuilder lint policy.json             check a policy, compiler style
  xraybuilder simulate policy.json …       would this request be allowed?
  xraybuilder explain policy.json          what a policy grants, in plain words
  xraybuilder actions                      X-Ray actions by access level

Press [b]q[/b] to quit."""


class XrayBuilderApp(App[None]):
    TITLE = "xraybuilder"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(WELCOME, id="welcome")
        yield Footer()
