"""Public names loaded on first access (PEP 562), for packages whose import must stay cheap."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, namespace: dict[str, Any], table: dict[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module ``__getattr__`` and ``__dir__`` for a package whose names live in submodules.

    ``table`` maps each lazy name to the submodule holding it (``"._client"``). The first access
    imports the submodule and stores the value in ``namespace`` (the package's globals), so
    later lookups never reach ``__getattr__`` again.
    """

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        try:
            loaded = importlib.import_module(module, package)
        except AttributeError as exc:  # ``from package import name`` would report only "cannot import name"
            raise ImportError(f"loading {package}.{name} from {module} failed: {exc!r}") from exc
        value = getattr(loaded, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *table})

    return __getattr__, __dir__
