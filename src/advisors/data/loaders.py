"""Built-in dataset readers: the CSV folder and the single-file JSON form."""

from __future__ import annotations

from ..hookspecs import Register, hookimpl
from ..plugins import Loader
from . import read_folder, read_json


@hookimpl
def register_loaders(register: Register) -> None:
    """Offer the folder and JSON readers."""
    register("folder", Loader(read_folder, folders=True),
             "CSV folder: townships.csv, villages.csv, advisors.csv, … (docs/data-format.md)")
    register("json", Loader(read_json, suffixes=(".json",)), "single-file JSON form")
