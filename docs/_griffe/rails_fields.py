"""Griffe extension for the docs: field descriptions as docstrings, Sphinx roles as code.

* Model fields are declared with ``rails_field(..., description="...")``; static analysis
  cannot see that text, so after the package is loaded this extension imports each model
  class and copies ``model_fields[name].description`` onto the matching attribute (only where
  the attribute has no docstring of its own).
* The docstrings use Sphinx roles (``:class:`Client```, ``:meth:`~Emulator.serve```), which
  Markdown would show literally; they are rewritten as inline code.
"""

from __future__ import annotations

import importlib
import re
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


ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|data|mod|exc|obj|const):`(~?)([^`]+)`")


def _role_to_code(match: re.Match[str]) -> str:
    target = match[2].strip()
    if "<" in target and target.endswith(">"):  # :class:`text <target>`
        target = target.split("<", 1)[0].strip()
    elif match[1]:
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def _objects(obj: griffe.Object) -> list[griffe.Object]:
    found: list[griffe.Object] = [obj]
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            found.extend(_objects(member))
    return found


class RailsFieldDocs(griffe.Extension):
    """Fill attribute docstrings of pydantic models from their field descriptions."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in _objects(pkg):
            if obj.docstring is not None and ":" in obj.docstring.value:
                obj.docstring.value = ROLE.sub(_role_to_code, obj.docstring.value)
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
