"""The Textual application."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

WELCOME = """\
[b]xraybuilder[/b] builds least-privilege IAM policies for AWS X-Ray.

The full-screen builder is on its way. Meanwhile the command line does the work:

  xraybuilder lint policy.json        check a policy, compiler style
  xraybuilder actions                 list X-Ray actions by access level
  xraybuilder --help                  everything else

Press [b]q[/b] to quit."""


class XrayBuilderApp(App[None]):
    TITLE = "xraybuilder"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(WELCOME, id="welcome")
        yield Footer()
