"""The names of the files kg reads beside a bank.

Apart from the stages that read them, so that what needs only a name, such as the key of a stored bank
(:mod:`kg.bankstore`), imports none of those stages (the concept file's reader imports spaCy).
"""

from __future__ import annotations

from pathlib import Path

#: A user's concept file for the banks of its folder (:mod:`kg.extract.conceptfile`).
CONCEPT_FILE = "concepts.toml"
#: A bank's own pair model, refitted on its verdicts by ``kg calibrate`` (:mod:`kg.similar.model`).
PAIR_MODEL_FILE = "kg-model.json"



def bank_folder(bank: str | Path) -> Path:
    """The folder a bank's own files sit in: the bank itself when it is a folder, else its file's folder.

    Examples
    --------
    >>> bank_folder("banks/ml.md").as_posix()
    'banks'
    """
    bank = Path(bank)
    return bank if bank.is_dir() else bank.parent


__all__ = ["CONCEPT_FILE", "PAIR_MODEL_FILE", "bank_folder"]
