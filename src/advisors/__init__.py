"""advisors — plan rural legal services: village legal advisors, the 12348 hotline,
bilingual training of legal-savvy persons, and the calendars, rosters and notices
that go with them.

Everything in ``__all__`` is the public API; anything else may change. Importing
the package loads no plugin and reads no file.
"""

from .calendar import Festival, WorkCalendar
from .dataset import Dataset
from .errors import AdvisorsError, DataError, PluginError, Problem
from .geo import TravelModel, great_circle_km
from .hookspecs import hookimpl
from .load import (
    dataset_from_dict,
    dataset_to_dict,
    read_folder,
    read_json,
    write_folder,
    write_json,
)
from .load.dispatch import load_dataset
from .model import (
    Advisor,
    Attendance,
    ExistingAssignment,
    Person,
    Township,
    Trainer,
    TravelTime,
    Unavailability,
    Venue,
    Village,
)
from .plugins import get_plugin_manager
from .policy import Policy

__all__ = [
    "Advisor",
    "AdvisorsError",
    "Attendance",
    "DataError",
    "Dataset",
    "ExistingAssignment",
    "Festival",
    "Person",
    "PluginError",
    "Policy",
    "Problem",
    "Township",
    "Trainer",
    "TravelModel",
    "TravelTime",
    "Unavailability",
    "Venue",
    "Village",
    "WorkCalendar",
    "dataset_from_dict",
    "dataset_to_dict",
    "get_plugin_manager",
    "great_circle_km",
    "hookimpl",
    "load_dataset",
    "read_folder",
    "read_json",
    "write_folder",
    "write_json",
]
