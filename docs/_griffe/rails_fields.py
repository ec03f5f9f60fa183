"""Griffe extension for the docs: show each model field's ``description`` as its docstring.

Model fields are declared with ``rails_field(..., description="...")``; static analysis cannot
see that text, so after the package is loaded this extension imports each model class and
copies ``model_fields[name].description`` onto the matching attribute (only where the
attribute has no docstring of its own).
"""

from __future__ import annotations

import importlib
from typing import Any

import griffe


def _classes(obj: griffe.Object) -> list[griffe.Class]:
    found: list[griffe.Class] = []
    for member in obj.members.values():
        if member.is_alias:
            continue
        if isinstance(member, griffe.Class):
            found.append(member)
            found.extend(_classes(member))
        elif isinstance(member, griffe.Module):
            found.extend(_classes(member))
    return found


class RailsFieldDocs(griffe.Extension):
    """Fill attribute docstrings of pydantic models from their field descriptions."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for cls in _classes(pkg):
            try:
                runtime = getattr(importlib.import_module(cls.module.path), cls.name)
            except (ImportError, AttributeError):
                continue
            fields = getattr(runtime, "model_fields", None)
            if not isinstance(fields, dict):
                continue
            for name, info in fields.items():
                description = getattr(info, "description", None)
                member = cls.members.get(name)
                if not description or member is None or member.is_alias or member.docstring is not None:
                    continue
                member.docstring = griffe.Docstring(description, parent=member)
