"""advisors — plan rural legal services: village legal advisors, the 12348 hotline,
bilingual training of legal-savvy persons, and the calendars, rosters and notices
that go with them.

Everything in ``__all__`` is the public API; anything else may change. Importing
the package loads no plugin and reads no file.
"""

from .assignment import Assignment, Diagnosis, Uncovered
from .calendar import Festival, WorkCalendar
from .constraints import Constraint
from .coverage.api import assign, assign_strategies, diagnose_coverage
from .coverage.explain import explain_coverage
from .coverage.problem import CoverageProblem
from .data import (
    dataset_from_dict,
    dataset_to_dict,
    read_folder,
    read_json,
    write_folder,
    write_json,
)
from .data.dataset import Dataset
from .data.dispatch import load_dataset
from .errors import AdvisorsError, DataError, PluginError, Problem
from .geo import TravelModel, great_circle_km
from .hookspecs import hookimpl
from .hotline.api import hotline_rota
from .hotline.facts import DutyShift, HotlineRota, read_history
from .ledger.assess import Assessment, Grade, assess, spot_check
from .ledger.budget import Budget, budget
from .ledger.effective import Ledger, match_ledger
from .ledger.records import (
    Feedback,
    ServiceRecord,
    feedback_from_rows,
    read_feedback,
    read_services,
    services_from_rows,
)
from .model import (
    Advisor,
    Attendance,
    ExistingAssignment,
    Person,
    Request,
    Township,
    Trainer,
    TravelTime,
    Unavailability,
    Venue,
    Village,
)
from .output import ExportOptions, OutputFolder, Publication, export
from .output.notifications import Notification, notifications
from .period import Period
from .plan.diff import Changes, diff
from .plan.events import CalendarEvent, EventChange, PublishedEvent, reconcile
from .plan.plan import Plan, make_plan
from .plugins import get_plugin_manager
from .policy import Policy
from .rules import Analysis, Violation
from .training.api import plan_training
from .training.problem import TrainingPlan, TrainingSession
from .training.progress import TrainingProgress, training_progress
from .visits.api import schedule_visits
from .visits.patterns import Pattern
from .visits.visit_plan import Booking, HomeVisit, Visit, VisitPlan

__all__ = [
    "Advisor",
    "AdvisorsError",
    "Analysis",
    "Assessment",
    "Assignment",
    "Attendance",
    "Booking",
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
    "HomeVisit",
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
    "Request",
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
    "feedback_from_rows",
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
