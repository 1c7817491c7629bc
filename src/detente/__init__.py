"""detente: repair machine-translated news on peace talks and label who takes which stance."""

from detente.issues import IssueHit, Taxonomy, detect_issues
from detente.model_io import load_model
from detente.normalize import Change, Normalized, Rules, normalize
from detente.pipeline import analyze, analyze_batch
from detente.segment import Statement, statements
from detente.stance import Stance, StanceModel, classify

__all__ = [
    "Change",
    "IssueHit",
    "Normalized",
    "Rules",
    "Stance",
    "StanceModel",
    "analyze",
    "analyze_batch",
    "Statement",
    "Taxonomy",
    "classify",
    "detect_issues",
    "load_model",
    "normalize",
    "statements",
]
__version__ = "0.1.0"
