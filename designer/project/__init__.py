"""Project files: the whole piece of work in one versioned zip of JSON and .npz (no Qt)."""

from designer.project.files import load_project, save_project
from designer.project.model import Project

__all__ = ["Project", "load_project", "save_project"]
