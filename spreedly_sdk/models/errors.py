"""The ``<errors>`` document the service sends with many 422 answers (see docs/service/documents.md, "Errors")."""

from __future__ import annotations

from ._base import RailsModel, rails_repeated

__all__ = ["ErrorsDocument"]


class ErrorsDocument(RailsModel, tag="errors"):
    """``<errors><error>text</error>…</errors>``: one message per ``<error>``."""

    errors: list[str] = rails_repeated("error", description="The messages, in order.")
