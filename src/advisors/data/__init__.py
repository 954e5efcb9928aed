"""Readers and writers of datasets: the CSV folder, the JSON form, and plugins' formats."""

from .csvfolder import read_folder, write_folder
from .jsonform import dataset_from_dict, dataset_to_dict, read_json, write_json

__all__ = ["dataset_from_dict", "dataset_to_dict", "read_folder", "read_json", "write_folder",
           "write_json"]
