"""Rules of the layout that code review alone would miss."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "inventory" / "services"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_services_never_import_flask():
    offenders = {path.name: sorted(name for name in _imports(path) if name.split(".")[0].startswith("flask"))
                 for path in SERVICES.glob("*.py")}
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_services_never_commit():
    offenders = [path.name for path in SERVICES.glob("*.py") if ".commit()" in path.read_text()]
    assert offenders == []


def test_no_asset_is_loaded_from_the_internet():
    pattern = ("http://", "https://")
    offenders = []
    for path in list((ROOT / "templates").rglob("*.html")) + list((ROOT / "inventory" / "static").rglob("*.*")):
        text = path.read_text(encoding="utf-8", errors="ignore")
        for line in text.splitlines():
            if any(p in line for p in pattern) and ("src=" in line or "href=" in line or "url(" in line):
                offenders.append(f"{path.name}: {line.strip()[:80]}")
    assert offenders == []
