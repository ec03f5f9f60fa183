"""What loads on first use rather than at import: the package's public names (PEP 562) and
each model's validator and pydantic-xml serializer (pydantic's ``defer_build``).

Each case runs in a fresh interpreter, where nothing has touched the SDK yet: that is the only
place the laziness shows (in this process other tests have long loaded everything).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def run(script: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], check=True, capture_output=True,
                         text=True, timeout=120)
    return json.loads(out.stdout)


def test_import_builds_no_model() -> None:
    result = run("""
        import json
        import spreedly_sdk
        from spreedly_sdk import models
        from spreedly_sdk.models import RailsModel
        classes = [c for c in vars(models).values()
                   if isinstance(c, type) and issubclass(c, RailsModel) and c is not RailsModel]
        print(json.dumps({"classes": len(classes),
                          "built": [c.__name__ for c in classes if c.__pydantic_complete__]}))
    """)
    assert result["classes"] >= 20
    assert result["built"] == []


def test_reference_path_first_in_a_fresh_process() -> None:
    """pydantic-xml's own reader and writer work when they are the first thing to touch a class."""
    doc = (FIXTURES / "subscriber-full.xml").read_bytes()
    result = run(f"""
        import json
        from spreedly_sdk.models import Subscriber, SubscriberUpdate
        doc = {doc!r}
        ref = Subscriber.from_xml_reference(doc)  # builds Subscriber and its nested models
        fast = Subscriber.from_xml(doc)
        update = SubscriberUpdate.model_construct(screen_name="joe & co")  # constructs without validating
        print(json.dumps({{
            "same": ref == fast and ref.model_fields_set <= fast.model_fields_set,  # nil ones: set in fast only
            "invoices": len(ref.invoices or []),
            "written_same": ref.to_xml_reference() == fast.to_xml(),
            "update_built_before": SubscriberUpdate.__pydantic_complete__,
            "update": update.to_xml_reference(exclude_unset=True).decode(),
        }}))
    """)
    assert result["same"] is True and result["invoices"] >= 1
    assert result["written_same"] is True
    assert result["update_built_before"] is False
    assert "<screen-name>joe &amp; co</screen-name>" in str(result["update"])


def test_fast_path_first_in_a_fresh_process() -> None:
    doc = (FIXTURES / "subscriber-full.xml").read_bytes()
    result = run(f"""
        import json
        from spreedly_sdk.models import Subscriber
        sub = Subscriber.from_xml({doc!r})
        print(json.dumps({{"id": sub.customer_id,
                          "roundtrip": Subscriber.from_xml(sub.to_xml()) == sub}}))
    """)
    assert result["roundtrip"] is True and result["id"]


def test_import_loads_no_model_layer_and_every_public_name_resolves() -> None:
    result = run("""
        import json, sys
        import spreedly_sdk, spreedly_sdk.testing, spreedly_sdk.testing.pytest_plugin
        loaded = sorted(m for m in sys.modules if m.startswith(("pydantic_xml", "spreedly_sdk.")))
        resolved = {}
        for package in (spreedly_sdk, spreedly_sdk.testing):
            for name in package.__all__:
                value = getattr(package, name)
                resolved[package.__name__ + "." + name] = getattr(value, "__module__", None) or type(value).__name__
        listed = sorted(set(spreedly_sdk.__all__) - set(dir(spreedly_sdk)))
        print(json.dumps({"loaded": loaded, "resolved": resolved, "not_in_dir": listed,
                          "client_module": spreedly_sdk.Client.__module__}))
    """)
    assert result["loaded"] == ["spreedly_sdk._lazy", "spreedly_sdk._version", "spreedly_sdk.errors",
                                "spreedly_sdk.testing", "spreedly_sdk.testing.pytest_plugin"]
    resolved = result["resolved"]
    assert isinstance(resolved, dict) and len(resolved) >= 50 and all(resolved.values())
    assert result["not_in_dir"] == [] and result["client_module"] == "spreedly_sdk._client"


def test_unknown_name_is_an_attribute_error() -> None:
    import spreedly_sdk
    import spreedly_sdk.testing

    for package in (spreedly_sdk, spreedly_sdk.testing):
        with pytest.raises(AttributeError, match="no attribute 'Nope'"):
            package.Nope  # noqa: B018


def test_a_failure_while_loading_names_its_cause(tmp_path, monkeypatch) -> None:
    """An AttributeError raised while a lazy name's module loads would otherwise reach the user
    as a bare "cannot import name"; it comes back as an ImportError carrying the cause."""
    from spreedly_sdk._lazy import lazy_exports

    pkg = tmp_path / "lazy_probe_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "broken.py").write_text("raise AttributeError('pydantic-xml too old: no __xml_field_validators__')\n")
    (pkg / "fine.py").write_text("VALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    namespace: dict[str, object] = {}
    getattr_, dir_ = lazy_exports("lazy_probe_pkg", namespace, {"Broken": ".broken", "VALUE": ".fine"})
    with pytest.raises(ImportError, match="too old: no __xml_field_validators__"):
        getattr_("Broken")
    assert getattr_("VALUE") == 42 and namespace["VALUE"] == 42
    assert dir_() == ["Broken", "VALUE"]
