"""The training script of a whole project: its design, settings and data loading."""

from __future__ import annotations

from designer.export.data_code import data_code
from designer.export.script import ScriptOptions, export_script
from designer.project.model import Project


def project_data_code(project: Project, target: str) -> str | None:
    """Data-loading code for the project's data source (None: stand-in data)."""
    if project.data_source is None:
        return None
    try:
        return data_code(project.data_source, project.preparation, target)
    except ValueError as error:
        return (
            f"# The data source could not be written as code ({error}).\n"
            "raise SystemExit('Load x_train and y_train here, then run the script again.')"
        )


def project_script(project: Project, target: str, title: str) -> str:
    return export_script(
        project.design,
        project.compile,
        project.training,
        ScriptOptions(target=target, title=title, data_code=project_data_code(project, target)),
    )
