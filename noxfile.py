"""Run the suite on every supported Python: ``nox`` (or ``nox -s tests-3.12``)."""

import nox

nox.options.reuse_existing_virtualenvs = True


@nox.session(python=["3.10", "3.11", "3.12", "3.13"])
def tests(session: nox.Session) -> None:
    """Install the project with its dev extra and run pytest."""
    session.install("-e", ".[dev]")
    session.run("python", "-m", "pytest", "-q", *session.posargs)
