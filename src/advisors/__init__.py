"""advisors — plan rural legal services: village legal advisors, the 12348 hotline,
bilingual training of legal-savvy persons, and the calendars, rosters and notices
that go with them.

Everything in ``__all__`` is the public API; anything else may change. Importing
the package loads no plugin and reads no file.
"""

from .assess import Assessment, Grade, assess, spot_check
from .assign import Assignment, Diagnosis, Uncovered
from .budget import Budget, budget
from .calendar import Festival, WorkCalendar
from .constraints import Constraint
from .coverage import assign, assign_strategies, diagnose_coverage
from .coverage_explain import explain_coverage
from .coverage_problem import CoverageProblem
from .dataset import Dataset
from .diff import Changes, diff
from .effective import Ledger, match_ledger
from .errors import AdvisorsError, DataError, PluginError, Problem
from .events import CalendarEvent, EventChange, PublishedEvent, reconcile
from .exporters import ExportOptions, OutputFolder, Publication, export
from .exporters.notifications import Notification, notifications
from .geo import TravelModel, great_circle_km
from .hookspecs import hookimpl
from .hotline import DutyShift, HotlineRota, read_history
from .ledger import Feedback, ServiceRecord, read_feedback, read_services, services_from_rows
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
from .patterns import Pattern
from .period import Period
from .plan import Plan, make_plan
from .plugins import get_plugin_manager
from .policy import Policy
from .progress import TrainingProgress, training_progress
from .rules import Analysis, Violation
from .schedule import Visit, VisitPlan
from .schedule_api import hotline_rota, schedule_visits
from .training import TrainingPlan, TrainingSession
from .training_api import plan_training

__all__ = [
    "Advisor",
    "AdvisorsError",
    "Analysis",
    "Assessment",
    "Assignment",
    "Attendance",
    "Budget",
    "CalendarEvent",
    "Changes",
    "Constraint",
    "CoverageProblem",
    "DataError",
    "Dataset",
    "Diagnosis",
    "DutyShift",
    "EventChange",
    "ExistingAssignment",
    "ExportOptions",
    "Feedback",
    "Festival",
    "Grade",
    "HotlineRota",
    "Ledger",
    "Notification",
    "OutputFolder",
    "Pattern",
    "Period",
    "Person",
    "Plan",
    "PluginError",
    "Policy",
    "Problem",
    "Publication",
    "PublishedEvent",
    "ServiceRecord",
    "Township",
    "Trainer",
    "TrainingPlan",
    "TrainingProgress",
    "TrainingSession",
    "TravelModel",
    "TravelTime",
    "Unavailability",
    "Uncovered",
    "Venue",
    "Village",
    "Violation",
    "Visit",
    "VisitPlan",
    "WorkCalendar",
    "assess",
    "assign",
    "assign_strategies",
    "budget",
    "dataset_from_dict",
    "dataset_to_dict",
    "diagnose_coverage",
    "diff",
    "explain_coverage",
    "export",
    "get_plugin_manager",
    "great_circle_km",
    "hookimpl",
    "hotline_rota",
    "load_dataset",
    "make_plan",
    "match_ledger",
    "notifications",
    "plan_training",
    "read_feedback",
    "read_folder",
    "read_history",
    "read_json",
    "read_services",
    "reconcile",
    "schedule_visits",
    "services_from_rows",
    "spot_check",
    "training_progress",
    "write_folder",
    "write_json",
]
