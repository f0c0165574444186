"""The README's map of the code (« Organisation du code ») names only files and folders that exist,
and names every subpackage of the package."""

from __future__ import annotations

import re

from tests.fixtures.paths import ROOT

PACKAGE = ROOT / "src" / "achats_ouverts"


def code_map() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Organisation du code")
    return readme[start : readme.index("\n## ", start + 1)]


def test_every_path_the_code_map_names_exists() -> None:
    names = set(re.findall(r"`([A-Za-z_./<>-]+(?:\.py|\.j2|/))`", code_map()))
    assert len(names) > 30, "the map names the modules"
    for name in sorted(names):
        if "<" in name or name == "*.py":
            continue
        candidates = [PACKAGE / name, ROOT / name, PACKAGE / "templates" / name]
        assert any(path.exists() for path in candidates), f"README names a missing path: {name}"


def test_the_code_map_names_every_subpackage() -> None:
    text = code_map()
    for folder in sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")):
        assert f"`{folder}/`" in text, f"the code map does not name {folder}/"
