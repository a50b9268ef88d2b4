"""The screens reach the register only through ops: guard the one door.

A page that touches a connection or a store runs SQL on the GUI thread (or on the wrong
thread's connection), and a page that calls a service directly on its session does the same
one step removed. Both froze the window and raced the writer before issue 7. The import
contracts (.importlinter) cannot see attribute access, so these tests read the UI's source:
the work handed to an ``Op`` uses its ``s`` parameter, never ``self.session.<service>``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "app" / "ui"

# Attribute names and names that are a connection, a store or their holder.
DB_ATTRIBUTES = frozenset({"db", "store", "worker_db"})
DB_NAMES = frozenset({"Database", "worker_db"})
DB_MODULES = ("app.db.database", "app.db.store")

# What a session offers as services; reached from a page they run on the GUI thread.
SERVICES = frozenset(
    {
        "households",
        "register",
        "visits",
        "programmes",
        "policy",
        "income",
        "enrolments",
        "payments",
        "monitoring",
        "monthly_close",
        "care",
        "dashboard",
        "users",
    }
)
SESSION_CALLS = frozenset({"change_password", "verify_password"})


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _module_name(path: Path) -> str:
    """Dotted name of a source file; a package's __init__ gets the package's name plus
    ``.__init__``, so that relative imports resolve from the package itself."""
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``from … import`` names, relative levels resolved."""
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts[: len(parts) - node.level]
    return ".".join([*base, node.module] if node.module else base)


def _imported_modules(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    source = _resolve(module, node)
    # `from app.db import store` imports the module app.db.store.
    return [source] + [f"{source}.{alias.name}" for alias in node.names]


def _is_session(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "session") or (
        isinstance(node, ast.Name) and node.id == "session"
    )


def database_touches(source: str, path: str = "<source>", module: str = "app.ui.page") -> list[Finding]:
    """Every place the code reaches a connection, a store or the modules that make them."""
    found = []
    for node in ast.walk(ast.parse(source, path)):
        if isinstance(node, ast.Attribute) and node.attr in DB_ATTRIBUTES:
            found.append(Finding(path, node.lineno, f"touches .{node.attr}"))
        elif isinstance(node, ast.Name) and node.id in DB_NAMES:
            found.append(Finding(path, node.lineno, f"uses {node.id}"))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = _imported_modules(module, node)
            if isinstance(node, ast.ImportFrom):
                names += [alias.name for alias in node.names if alias.name in DB_NAMES]
            found.extend(
                Finding(path, node.lineno, f"imports {name}")
                for name in names
                if name in DB_MODULES or name in DB_NAMES
            )
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in DB_ATTRIBUTES
        ):
            found.append(Finding(path, node.lineno, f"{node.func.id}(…, {node.args[1].value!r})"))
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "__dict__"
            and isinstance(node.slice, ast.Constant)
            and node.slice.value in DB_ATTRIBUTES
        ):
            found.append(Finding(path, node.lineno, f"__dict__[{node.slice.value!r}]"))
    return found


def service_calls_outside_ops(source: str, path: str = "<source>") -> list[Finding]:
    """Every ``….session.<service>`` and ``session.change_password`` / ``verify_password``.

    Work inside an op reaches services through its ``s`` parameter, so any use through
    something called ``session`` is a page calling the service itself.
    """
    return [
        Finding(path, node.lineno, f"session.{node.attr} outside an op")
        for node in ast.walk(ast.parse(source, path))
        if isinstance(node, ast.Attribute) and _is_session(node.value) and node.attr in SERVICES | SESSION_CALLS
    ]


def _ui_modules() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def _report(findings: list[Finding]) -> str:
    return "\n".join(str(f) for f in sorted(findings, key=lambda f: (f.path, f.line)))


def test_no_screen_touches_a_connection_or_a_store() -> None:
    findings = []
    for path in _ui_modules():
        rel = str(path.relative_to(ROOT))
        findings += database_touches(path.read_text(encoding="utf-8"), rel, _module_name(path))
    assert not findings, "app/ui reaches the database; hand the work to an Op and use its s:\n" + _report(findings)


def test_no_screen_calls_a_service_outside_an_op() -> None:
    findings = []
    for path in _ui_modules():
        rel = str(path.relative_to(ROOT))
        findings += service_calls_outside_ops(path.read_text(encoding="utf-8"), rel)
    assert not findings, "app/ui calls services on the GUI thread; use Op(self, lambda s, progress: …):\n" + _report(
        findings
    )


# --- the detectors themselves: each rule catches what it names and lets ops through ---------


def test_the_database_detector_catches_each_way_in() -> None:
    source = """
from app.db.store import Store
from ...db import database
from ...db.database import Database as Db
import app.db.database

class Page:
    def refresh(self):
        rows = self.session.db.query("SELECT 1")
        self.store.save(x)
        conn = worker_db()
        self.__dict__["db"].close()
        getattr(self, "store")
        Database(path, key)
"""
    lines = sorted(f.line for f in database_touches(source, module="app.ui.pages.visits"))
    assert lines == [2, 3, 4, 4, 5, 9, 10, 11, 12, 13, 14]


def test_the_database_detector_lets_ops_and_other_names_through() -> None:
    source = """
from app.db.keyslots import KeySlotFile
from .ops import Op

class Page:
    def refresh(self):
        Op(self, lambda s, progress: s.visits.due(self.month), on_done=self.show)
        self.dbase = 1
        self.store_name = "x"
"""
    assert database_touches(source, module="app.ui.pages.visits") == []


def test_relative_imports_resolve_from_the_importing_module() -> None:
    from_package = "from ..db import store\n"  # in app/ui/__init__.py: app.db.store
    from_module = "from ..db import store\n"  # in app/ui/pages/visits.py: app.ui.db.store
    assert [f.what for f in database_touches(from_package, module="app.ui.__init__")] == ["imports app.db.store"]
    assert database_touches(from_module, module="app.ui.pages.visits") == []


def test_the_service_detector_catches_calls_on_the_session_and_not_in_ops() -> None:
    source = """
class Page:
    def refresh(self):
        self.session.households.get(1)
        self.window().session.monthly_close.run(m)
        session.change_password("a", "b")
        Op(self, lambda s, progress: s.households.get(1))
        Op(self, lambda s, progress: s.verify_password("x"))
        if self.session.can("edit") and self.session.user:
            pass
"""
    assert sorted(f.line for f in service_calls_outside_ops(source)) == [4, 5, 6]
