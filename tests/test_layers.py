"""Dependencies only point down DESIGN.md's table of apps: an app imports only apps listed before it.

``core`` is the ground floor and ``config`` the roof. Tests and migrations are left out: a test may build
a world from any app. Imports inside functions count too, so a late import cannot hide a cycle.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# DESIGN.md, "Apps and layers", top to bottom; planning/ (planned centres and scenarios) reads reach and runway
# from reports, so it sits below it. documents/ (files on profiles and cases) sits below cases.
LAYERS = [
    "core",
    "centers",
    "accounts",
    "audit",
    "beneficiaries",
    "services",
    "cases",
    "documents",
    "listening",
    "finance",
    "messaging",
    "reports",
    "planning",
    "privacy",
    "api",
    "demo",
    "config",
]


def _imported_apps(tree: ast.AST) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
        elif isinstance(node, ast.Import):
            found.update((alias.name.split(".")[0], node.lineno) for alias in node.names)
    return {(name, line) for name, line in found if name in LAYERS}


def upward_imports(root: Path) -> list[str]:
    """Every import of an app from a module of an app listed before it, as 'file:line app -> app'."""
    problems = []
    for app in LAYERS:
        for path in sorted((root / app).rglob("*.py")):
            parts = path.relative_to(root).parts
            if "tests" in parts or "migrations" in parts:
                continue
            for imported, line in _imported_apps(ast.parse(path.read_text(), filename=str(path))):
                if LAYERS.index(imported) > LAYERS.index(app):
                    problems.append(f"{path.relative_to(root)}:{line} {app} -> {imported}")
    return sorted(problems)


def test_every_app_imports_only_apps_above_it():
    assert upward_imports(ROOT) == []


def test_a_planted_upward_import_is_caught(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "tables.py").write_text("from reports.reach import reach\n")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "views.py").write_text("def page():\n    import listening.selectors\n")
    (tmp_path / "cases" / "tests").mkdir()
    (tmp_path / "cases" / "tests" / "test_x.py").write_text("from demo import people\n")  # tests may
    assert upward_imports(tmp_path) == [
        "cases/views.py:2 cases -> listening",
        "core/tables.py:1 core -> reports",
    ]


def test_installed_apps_follow_the_layers():
    ours = [app for app in settings.INSTALLED_APPS if app in LAYERS]
    assert ours == [app for app in LAYERS if app != "config"]


def test_views_reach_records_only_through_access_helpers():
    """One way to fetch what a user may see: each app's access.py (centers.access.get_scoped underneath)."""
    offenders = []
    for path in sorted(ROOT.glob("*/views.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {
                "get_object_or_404",
                "get_list_or_404",
            }:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_services_take_named_arguments_and_never_a_request():
    """Writes are keyword-only and typed: no ``**data`` that accepts any key, no request (HackSoft)."""
    offenders = []
    for path in sorted(ROOT.glob("*/services.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
                if node.args.kwarg is not None or "request" in names:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert offenders == []
