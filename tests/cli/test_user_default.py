"""Which user the program offers: the commands default to admin, the GUI to the last user on this PC."""

from app.cli import build_parser, main


def test_the_gui_is_given_no_user_unless_one_is_named(monkeypatch):
    seen = {}

    def fake_gui(**kwargs):
        seen.update(kwargs)
        return 0

    monkeypatch.setattr("app.ui.main.run_gui", fake_gui)
    assert main(["--data-dir", "/nonexistent-doudi"]) == 0
    assert seen["user"] is None  # so the sign-in dialog offers the last user, not admin
    assert main(["--data-dir", "/nonexistent-doudi", "--user", "clerk1"]) == 0
    assert seen["user"] == "clerk1"


def test_commands_still_default_to_admin():
    args = build_parser().parse_args(["check"])
    assert args.user is None  # filled in by main() for commands
    args = build_parser().parse_args(["check", "--user", "clerk1"])
    assert args.user == "clerk1"
