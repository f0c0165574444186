from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import make_data_dir


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A small, valid data folder in a temporary directory."""
    return make_data_dir(tmp_path / "data")
