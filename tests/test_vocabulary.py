from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ConfigError
from kg.extract.conceptfile import find_vocabulary, read_vocabulary


def test_vocabulary_reads_aliases_merges_and_ignores(tmp_path: Path) -> None:
    path = tmp_path / "concepts.toml"
    path.write_text(
        'merge = [["LeakyReLU", "leaky ReLU"]]\nignore = ["output dimension"]\n'
        '[aliases]\n"rectified linear unit" = ["ReLU"]\n',
        encoding="utf-8",
    )
    v = read_vocabulary(path)
    assert v.aliases == {"rectified linear unit": ("ReLU",)}
    assert v.merges == (("LeakyReLU", "leaky ReLU"),)
    assert v.ignores("Output-Dimension")


def test_vocabulary_is_found_next_to_the_bank(tmp_path: Path) -> None:
    (tmp_path / "concepts.toml").write_text('ignore = ["x"]\n', encoding="utf-8")
    bank = tmp_path / "bank.md"
    bank.write_text("## 1. Q?\n\nA.\n", encoding="utf-8")
    assert find_vocabulary([bank]).ignore == ("x",)
    assert find_vocabulary([tmp_path / "elsewhere" / "b.md"]).ignore == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ignore = [\n", "not valid TOML"),
        ("colours = 1\n", "unknown key(s) colours; expected aliases, merge, ignore, specific, generic"),
        ('merge = ["a", "b"]\n', "merge must be a list of lists of two or more names"),
        ("ignore = 3\n", "ignore must be a list of names"),
        ('specific = "component"\n', 'specific must be a list of names, e.g. specific = ["component"]'),
        ("generic = [1]\n", 'generic must be a list of names, e.g. generic = ["component"]'),
        ('[aliases]\nrelu = "x"\n', "[aliases] must map a label to a list of names"),
    ],
)
def test_vocabulary_errors_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "concepts.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        read_vocabulary(path)
    assert str(exc.value).startswith(str(path))
    assert message in str(exc.value)
