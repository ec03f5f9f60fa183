"""The base of every model: Rails XML conventions, read and written from one declaration.

A model is a pydantic-xml class whose fields are declared with :func:`rails_field` (a scalar
or a nested model) or :func:`rails_list` (a ``type="array"`` wrapper of nested models). From
that one declaration the base class derives a table of :class:`FieldSpec` entries, which
drives both ways of reading and both ways of writing:

* the fast path (:meth:`RailsModel.from_xml`, :meth:`RailsModel.to_xml`): one pass over the
  lxml element turning children into a plain dict, then a single ``model_validate``; and one
  pass over the fields building lxml elements;
* the reference path (:meth:`RailsModel.from_xml_reference`, :meth:`RailsModel.to_xml_reference`):
  pydantic-xml's own machinery, wired to the same table through its public extension points
  (``XmlFieldValidator`` / ``XmlFieldSerializer`` in each field's metadata). Tests run both over
  every document and require identical results.

The conventions (the service rendered with Rails ``to_xml``):

* names are dashed; a field may also be found under older spellings (``in_grace_period``);
* ``type="integer|decimal|boolean|datetime|array"`` is written from the declaration and
  ignored on read, so unknown ``type`` values are harmless;
* ``nil="true"`` reads as ``None`` unless the element also has text (then the text wins);
  ``None`` is written as ``nil="true"``; an empty string element stays ``""``;
* a repeated element: the first wins; a field found under two spellings: the first in the
  document wins;
* an element a response model does not declare is kept in ``model_extra`` under its tag (a leaf
  as its text, ``None`` when nil; an element with children as a dict of the same form; a
  repeated one as a list) and written back by ``to_xml``; request models have no extras;
* values are read in the service's own forms only (``-12``, ``12.50``, ``true``/``false``,
  ``2009-01-15T12:00:00Z`` with an optional fraction and offset): anything else pydantic would
  coerce is a :class:`~spreedly_sdk.errors.ResponseParseError` naming the field.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import sys
import threading
import types
import typing
from collections.abc import Generator, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Literal, Union, get_args, get_origin

from lxml import etree
from pydantic import ConfigDict, ValidationError
from pydantic_core import PydanticUndefined
from pydantic_xml import BaseXmlModel, XmlFieldSerializer, XmlFieldValidator, element, wrapped
from typing_extensions import Self

from .._xml import check_xml_text, parse_document, text_to_bytes
from ..errors import InvalidRequestError, ResponseParseError, UnexpectedResponseError, snippet
from ._extras import add_extra, extra_value, write_extra
from ._reference import REFERENCE_FLAGS, UNORDERED, reference_read, reference_state, reference_write
from ._values import BOOLEANS, FORM_CHECKS, check_form, scalar_to_text

__all__ = ["FieldSpec", "RailsModel", "rails_field", "rails_list"]

Kind = Literal["scalar", "model", "list", "repeated"]

_SCALAR_TYPES: dict[type, str | None] = {
    str: None,
    int: "integer",
    Decimal: "decimal",
    bool: "boolean",
    datetime: "datetime",
}


@dataclasses.dataclass(frozen=True)
class _Decl:
    """What a field declaration adds to pydantic-xml's own entity info."""

    xml_type: str | None | Literal[False] = False  # False: derive from the Python type
    alt_tags: tuple[str, ...] = ()
    nil: bool = True
    item_xml_type: str | None = None


@dataclasses.dataclass(frozen=True)
class _Table:
    specs: tuple[FieldSpec, ...]
    by_name: dict[str, FieldSpec]
    by_tag: dict[str, FieldSpec]


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    """How one field maps to XML (derived from the declaration; read by both code paths)."""

    name: str
    tag: str
    tags: tuple[str, ...]
    kind: Kind
    py_type: type
    xml_type: str | None
    nil: bool
    item_tag: str | None = None
    item_xml_type: str | None = None
    model: type[RailsModel] | None = None


def _declared(info: Any, decl: _Decl) -> Any:
    """Attach the declaration and the reference path (pydantic-xml's public extension points)."""
    read: Any = reference_read  # pydantic-xml types these for its base class only
    write: Any = reference_write
    info.metadata.extend((decl, XmlFieldValidator(read), XmlFieldSerializer(write)))
    return info


def rails_field(
    tag: str,
    *,
    description: str,
    default: Any = None,
    xml_type: str | None | Literal[False] = False,
    alt_tags: tuple[str, ...] = (),
    nil: bool = True,
) -> Any:
    """Declare a scalar or nested-model field stored under element ``tag``.

    ``xml_type`` overrides the ``type=`` attribute written (default: from the Python type);
    ``alt_tags`` are older spellings also read; ``nil=False`` omits the element when the
    value is ``None`` instead of writing ``nil="true"``.

    An optional field is ``name: Optional[T] = rails_field(...)``; a required one is written
    ``name: Annotated[T, rails_field(..., default=...)]`` (no assignment), so that type
    checkers see a required constructor argument (an assigned call counts as a default to them).
    """
    info = element(tag=tag, default=PydanticUndefined if default is ... else default, description=description)
    return _declared(info, _Decl(xml_type=xml_type, alt_tags=alt_tags, nil=nil))


def rails_list(tag: str, item_tag: str, *, description: str, item_xml_type: str | None = None,
               required: bool = False) -> Any:
    """Declare a ``<tag type="array"><item_tag>…</item_tag>…</tag>`` field of nested models.

    Absent from the document reads as ``None`` (or fails, if ``required``: declare it then as
    ``Annotated[list[T], rails_list(...)]``); present but empty reads as ``[]``.
    """
    info = wrapped(tag, element(tag=item_tag), default=PydanticUndefined if required else None,
                   description=description)
    return _declared(info, _Decl(item_xml_type=item_xml_type))


def rails_repeated(tag: str, *, description: str) -> Any:
    """Declare a list of strings written as repeated ``<tag>`` children (``<errors>``)."""
    info = element(tag=tag, default_factory=list, description=description)
    return _declared(info, _Decl())


def _unwrap_optional(annotation: Any) -> Any:
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap_optional(args[0])
    if origin is typing.Annotated:
        return _unwrap_optional(get_args(annotation)[0])
    return annotation


def _scalar_py_type(annotation: Any) -> type:
    inner = _unwrap_optional(annotation)
    if get_origin(inner) is Literal:
        first: object = get_args(inner)[0]
        return type(first)
    if isinstance(inner, type):
        for candidate in _SCALAR_TYPES:
            if issubclass(inner, candidate) and not (candidate is int and inner is bool):
                return candidate
    raise TypeError(f"unsupported scalar field type {annotation!r}")


def _build_specs(cls: type[RailsModel]) -> tuple[FieldSpec, ...]:
    specs: list[FieldSpec] = []
    for name, info in cls.model_fields.items():
        decl = next((m for m in info.metadata if isinstance(m, _Decl)), None)
        entity = next((m for m in info.metadata if type(m).__name__ == "XmlEntityInfo"), None)
        if decl is None or entity is None:
            raise TypeError(f"{cls.__name__}.{name} must be declared with rails_field/rails_list")
        tag: str = entity.path
        inner = _unwrap_optional(info.annotation)
        if entity.wrapped is not None:
            item_model = get_args(inner)[0]
            specs.append(FieldSpec(name, tag, (tag,), "list", list, "array", False,
                                   item_tag=entity.wrapped.path, item_xml_type=decl.item_xml_type,
                                   model=item_model))
        elif get_origin(inner) is list:
            specs.append(FieldSpec(name, tag, (tag,), "repeated", str, None, False))
        elif isinstance(inner, type) and issubclass(inner, RailsModel):
            specs.append(FieldSpec(name, tag, (tag, *decl.alt_tags), "model", inner, None, False, model=inner))
        else:
            py_type = _scalar_py_type(info.annotation)
            xml_type = _SCALAR_TYPES[py_type] if decl.xml_type is False else decl.xml_type
            specs.append(FieldSpec(name, tag, (tag, *decl.alt_tags), "scalar", py_type, xml_type, decl.nil))
    return tuple(specs)


_GC_PAUSE_ITEMS = 64
"""Lists at least this long are read with the cyclic garbage collector paused: it would
otherwise walk the growing list of new models again and again (none of them is garbage)."""

_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = False


@contextlib.contextmanager
def gc_paused() -> Generator[None, None, None]:
    """Pause the cyclic garbage collector for the block (nestable, safe across threads).

    The first block to enter remembers whether the collector was on; the last to leave turns
    it back on only if it was, so concurrent parses never leave it off.
    """
    global _gc_pausers, _gc_was_enabled  # noqa: PLW0603
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


_STR, _TEXT, _MODEL, _LIST, _REPEATED, _BOOL, _DATETIME = range(7)  # the last two: reader only
# ``datetime.fromisoformat`` reads a trailing "Z" as UTC from Python 3.11 on
_FROM_ISO_Z = datetime.fromisoformat if sys.version_info >= (3, 11) else None
_KIND_CODES = {"scalar": _STR, "model": _MODEL, "list": _LIST, "repeated": _REPEATED}


class RailsModel(BaseXmlModel, search_mode=UNORDERED):
    """Base of every model: parses and writes the service's Rails-flavoured XML."""

    # Validators and pydantic-xml serializers are built on a class's first use, not at import:
    # a process pays only for the documents it reads or writes.
    # Response models keep undeclared elements in ``model_extra``; request models forbid extras.
    model_config = ConfigDict(defer_build=True, extra="allow")

    __rails_list_tag__: ClassVar[str | None] = None
    """Tag of the root of a list of these (``subscribers``), where the service sends one."""

    @classmethod
    def xml_serializer(cls) -> Any:
        """pydantic-xml's serializer of this class (the reference path), built on first use."""
        serializer = cls.__dict__.get("__xml_serializer__")
        if serializer is None:
            cls.model_rebuild()
            serializer = cls.__xml_serializer__
        return serializer

    @classmethod
    def from_xml_tree(cls, root: Any, *args: Any, **kwargs: Any) -> Self:
        """pydantic-xml's reader (the reference path); the class is built first if it is not yet."""
        cls.xml_serializer()
        read: Any = getattr(super(), "from_xml_tree")  # noqa: B009 (pydantic-xml's signature is generic)
        depth = getattr(reference_state, "depth", 0)
        reference_state.depth = depth + 1
        try:
            return typing.cast(Self, read(root, *args, **kwargs))
        finally:
            reference_state.depth = depth
            if depth == 0:  # a read that failed part-way leaves entries behind: drop them
                reference_state.__dict__.pop("orders", None)

    def to_xml_tree(self, **kwargs: Any) -> etree._Element:  # type: ignore[override]
        """pydantic-xml's writer (the reference path); the class is built first if it is not yet."""
        type(self).xml_serializer()
        write: Any = getattr(super(), "to_xml_tree")  # noqa: B009 (pydantic-xml's signature is generic)
        return typing.cast(etree._Element, write(**kwargs))

    @classmethod
    def rails_fields(cls) -> _Table:
        """The field table (built on first use, once forward references resolve)."""
        table = cls.__dict__.get("_rails_table")
        if table is None:
            if not cls.__pydantic_complete__:
                cls.model_rebuild()  # resolves the annotations (the models are built on first use)
            specs = _build_specs(cls)
            by_tag: dict[str, FieldSpec] = {}
            for spec in specs:
                for tag in spec.tags:
                    by_tag.setdefault(tag, spec)
            table = _Table(specs, {s.name: s for s in specs}, by_tag)
            type.__setattr__(cls, "_rails_table", table)
        return table

    # ----------------------------------------------------------------------------- reading

    @classmethod
    def xml_tag(cls) -> str:
        """The root element name of this document."""
        assert cls.__xml_tag__ is not None
        return cls.__xml_tag__

    @classmethod
    def from_xml(cls, source: str | bytes) -> Self:  # type: ignore[override]  # pyright: ignore[reportIncompatibleMethodOverride]
        """Parse a document: ``bytes`` as sent (their XML declaration names the encoding), or
        ``str`` text, read as given whatever encoding its declaration names.

        Uses the hardened parser, then the fast path. Raises
        :class:`~spreedly_sdk.errors.ResponseParseError` (malformed, a missing required field,
        a value not in the service's forms), :class:`~spreedly_sdk.errors.UnexpectedResponseError`
        (another root element) or :class:`~spreedly_sdk.errors.XmlSecurityError`. It takes no
        other argument (pydantic-xml's ``context`` and the like would be ignored: a TypeError).
        """
        data = text_to_bytes(source) if isinstance(source, str) else source
        root = parse_document(data)
        return cls.from_element(root, body=data)

    @classmethod
    def from_element(cls, root: etree._Element, *, body: bytes | None = None) -> Self:
        """Build the model from an already parsed element whose tag is this model's tag."""
        if root.tag != cls.xml_tag():
            raise UnexpectedResponseError(
                f"expected a <{cls.xml_tag()}> document, got <{root.tag}>",
                body_snippet=snippet(body) if body is not None else "",
            )
        return cls.validate_raw(cls.element_to_dict(root), body=body)

    @classmethod
    def validate_raw(cls, raw: dict[str, Any], *, body: bytes | None = None) -> Self:
        """``model_validate`` with failures mapped to :class:`ResponseParseError`."""
        try:
            # model_validate's own Python layer only forwards to the validator; a first call on a
            # class not built yet builds it (pydantic's placeholder validator rebuilds on access)
            return cls.__pydantic_validator__.validate_python(raw)  # type: ignore[no-any-return]
        except ValidationError as exc:
            raise ResponseParseError(
                f"the <{cls.xml_tag()}> document does not fit the model: {_short_errors(exc)}",
                body_snippet=snippet(body) if body is not None else "",
            ) from None
        except RecursionError:
            raise ResponseParseError("the document nests too deeply") from None

    @classmethod
    def _reader(cls) -> dict[str, tuple[int, str, Any, Any]]:
        """Tag -> ``(kind code, field name, nested model or form test, item tag)``, built once
        per class. Built with it: whether the class keeps undeclared elements."""
        reader: dict[str, tuple[int, str, Any, Any]] | None = cls.__dict__.get("_rails_reader")
        if reader is None:
            reader = {}
            for tag, spec in cls.rails_fields().by_tag.items():
                code = _KIND_CODES[spec.kind]
                if code == _STR and spec.py_type is not str:
                    code = {bool: _BOOL, datetime: _DATETIME}.get(spec.py_type, _TEXT)
                # a typed scalar carries the test of its form
                third = FORM_CHECKS[spec.py_type] if code in (_TEXT, _BOOL, _DATETIME) else spec.model
                reader[tag] = (code, spec.name, third, spec.item_tag)
            keeps = cls.model_config.get("extra") == "allow"
            type.__setattr__(cls, "_rails_keeps_extra", frozenset(cls.model_fields) if keeps else None)
            type.__setattr__(cls, "_rails_reader", reader)
        return reader

    @classmethod
    def element_to_dict(cls, el: etree._Element) -> dict[str, Any]:
        """The fast path: one pass over the children, driven by the field table.

        Values stay strings (``model_validate`` converts them). An element present without a
        value (nil, or empty where a typed value was due) reads as ``None`` and counts as set
        (``model_fields_set``), as the document did carry it: the first element of a name wins
        even when it is empty, and a fetched subscriber sent back with ``exclude_unset`` carries
        its nil fields as nil. Only fields absent from the document stay unset.
        """
        reader = cls.__dict__.get("_rails_reader") or cls._reader()
        get = reader.get
        out: dict[str, Any] = {}
        extras: dict[str, Any] | None = None
        for child in el:
            entry = get(child.tag)
            if entry is None:
                if isinstance(child.tag, str):  # not an entity reference left unresolved
                    extras = cls._keep_extra(extras, child)
                continue
            code, name, model, item_tag = entry
            if code == _STR:
                if name in out:
                    continue
                text = child.text
                if text:
                    out[name] = text
                elif child.get("nil") == "true":
                    out[name] = None
                else:
                    out[name] = ""
            elif code == _BOOL:
                if name in out:
                    continue
                text = child.text
                # handed over converted: no parse left to pydantic; padding is rare, so stripped last
                value = BOOLEANS.get(text) if text else None
                if value is None and text and (text := text.strip()):
                    value = BOOLEANS.get(text)
                    if value is None:
                        cls._refuse_form(el)
                out[name] = value
            elif code == _DATETIME:
                if name in out:
                    continue
                text = child.text
                if text and (text := text.strip()):
                    # the service's usual form (2009-01-15T12:00:00Z) by its shape, handed over as the
                    # UTC datetime it names where the standard library reads "Z"; the rest by regex,
                    # and pydantic's parser then accepts nothing else of that shape
                    if len(text) == 20 and text[10] == "T" and text[19] == "Z" and text[4] == "-" \
                            and text[7] == "-" and text[13] == ":" and text[16] == ":":
                        if _FROM_ISO_Z is not None:
                            try:
                                out[name] = _FROM_ISO_Z(text)
                                continue
                            except ValueError:  # the shape without a real date: pydantic names it
                                pass
                    elif not model(text):
                        cls._refuse_form(el)
                    out[name] = text
                else:
                    out[name] = None
            elif code == _TEXT:
                if name in out:
                    continue
                text = child.text
                if text and (text := text.strip()):
                    if not model(text):  # ``model`` is the test of the service's form here
                        cls._refuse_form(el)
                    out[name] = text
                else:
                    out[name] = None
            elif code == _REPEATED:
                out.setdefault(name, []).append(child.text or "")
            elif name in out:
                continue
            elif code == _MODEL:
                if len(child) or child.get("nil") != "true":
                    out[name] = model.element_to_dict(child)
                else:
                    out[name] = None
            else:
                to_dict = model.element_to_dict
                out[name] = [to_dict(item) for item in child if item.tag == item_tag]
        if extras:
            out.update(extras)
        return out

    @classmethod
    def _refuse_form(cls, el: etree._Element) -> None:
        """Name the first typed value of ``el`` not in the service's form (after a failed test)."""
        seen: set[str] = set()
        for child in el:
            spec = cls.rails_fields().by_tag.get(child.tag) if isinstance(child.tag, str) else None
            if spec is None or spec.kind != "scalar" or spec.py_type not in FORM_CHECKS or spec.name in seen:
                continue
            seen.add(spec.name)
            text = (child.text or "").strip()
            if text:
                check_form(cls.xml_tag(), spec.name, child.tag, text, spec.py_type)

    @classmethod
    def _keep_extra(cls, extras: dict[str, Any] | None, child: etree._Element) -> dict[str, Any] | None:
        """Add an undeclared element to ``extras`` if this class keeps them (response models).

        A tag spelled like one of the class's own field names is not kept: it would be taken as
        that field's value.
        """
        names: frozenset[str] | None = cls.__dict__.get("_rails_keeps_extra")
        if names is None or child.tag in names:
            return extras
        if extras is None:
            extras = {}
        add_extra(extras, child.tag, extra_value(child))
        return extras

    @classmethod
    def from_xml_reference(cls, source: bytes) -> Self:
        """Parse through pydantic-xml's own machinery (the reference the fast path must match)."""
        return cls.from_xml_tree(parse_document(source))

    # ----------------------------------------------------------------------------- lists

    @classmethod
    def list_from_xml(cls, source: bytes) -> list[Self]:
        """Parse a list document (``<subscribers type="array">`` or ``<nil-classes/>``)."""
        root = parse_document(source)
        return cls.list_from_element(root, body=source)

    @classmethod
    def list_from_element(cls, root: etree._Element, *, body: bytes | None = None) -> list[Self]:
        """Items of an already parsed list document."""
        tag = cls.xml_tag()
        # Any ``type="array"`` root without children is an empty list (see docs/service/xml.md, "Arrays"); a
        # foreign root with children (plans where subscribers were asked for) is an error.
        if root.tag not in (cls.__rails_list_tag__, "nil-classes") and (root.get("type") != "array" or len(root)):
            raise UnexpectedResponseError(
                f"expected a <{cls.__rails_list_tag__}> list, got <{root.tag}>",
                body_snippet=snippet(body) if body is not None else "",
            )
        to_dict = cls.element_to_dict
        if len(root) < _GC_PAUSE_ITEMS:
            return [cls.validate_raw(to_dict(item), body=body) for item in root if item.tag == tag]
        with gc_paused():
            return [cls.validate_raw(to_dict(item), body=body) for item in root if item.tag == tag]

    @classmethod
    def list_to_xml(cls, items: Iterable[RailsModel]) -> bytes:
        """Write a list document the way the service did (``<nil-classes>`` when empty)."""
        items = list(items)
        root = etree.Element(cls.__rails_list_tag__ if items else "nil-classes")  # type: ignore[arg-type]
        root.set("type", "array")
        for item in items:
            root.append(item.to_element())
        return _tostring(root)

    # ----------------------------------------------------------------------------- writing

    def to_xml(self, *, exclude_none: bool = False, exclude_unset: bool = False  # type: ignore[override]
               ) -> bytes:  # pyright: ignore[reportIncompatibleMethodOverride]
        """Write the document as UTF-8 bytes in the service's conventions.

        ``exclude_unset`` writes only the fields that were set (request bodies);
        ``exclude_none`` leaves out ``None`` fields instead of writing ``nil="true"``. Elements
        kept in ``model_extra`` are written after the fields (request models have none).
        Values XML 1.0 cannot carry (control characters, lone surrogates) and numbers too long
        to print raise :class:`~spreedly_sdk.errors.InvalidRequestError` naming the field; it
        takes no other argument (a TypeError).
        """
        el = etree.Element(self.__xml_tag__)  # type: ignore[arg-type]
        self._write_children(el, exclude_unset=exclude_unset, exclude_none=exclude_none, path="")
        return _DECLARATION + etree.tostring(el, encoding="UTF-8", xml_declaration=False)

    @classmethod
    def _writer(cls) -> tuple[_Out, ...]:
        """Per-field ``(name, kind code, tag, attributes, nil attributes, item tag, item attributes)``."""
        writer: tuple[_Out, ...] | None = cls.__dict__.get("_rails_writer")
        if writer is None:
            entries: list[_Out] = []
            for spec in cls.rails_fields().specs:
                if spec.kind == "scalar":
                    attrs = {"type": spec.xml_type} if spec.xml_type else None
                    nil = {**(attrs or {}), "nil": "true"} if spec.nil else None
                    code = _STR if spec.py_type is str else _TEXT
                    entries.append((spec.name, code, spec.tag, attrs, nil, None, None))
                elif spec.kind == "list":
                    item_attrs = {"type": spec.item_xml_type} if spec.item_xml_type else {}
                    entries.append((spec.name, _LIST, spec.tag, {"type": "array"}, None, spec.item_tag, item_attrs))
                else:
                    entries.append((spec.name, _KIND_CODES[spec.kind], spec.tag, None, None, None, None))
            writer = tuple(entries)
            type.__setattr__(cls, "_rails_writer", writer)
        return writer

    def to_element(self, *, exclude_unset: bool = False, exclude_none: bool = False,
                   tag: str | None = None, path: str = "") -> etree._Element:
        """The fast write path: build the lxml element for this model."""
        el = etree.Element(tag or self.xml_tag())
        self._write_children(el, exclude_unset=exclude_unset, exclude_none=exclude_none, path=path)
        return el

    def _write_children(self, el: etree._Element, *, exclude_unset: bool, exclude_none: bool, path: str) -> None:
        """Append one lxml child per field (the fast write path; error paths built only on error)."""
        sub_element = etree.SubElement
        values = self.__dict__
        fields_set = self.__pydantic_fields_set__ if exclude_unset else None
        writer = type(self).__dict__.get("_rails_writer") or self._writer()
        name = ""
        try:
            for name, code, tag, attrs, nil_attrs, item_tag, item_attrs in writer:
                if fields_set is not None and name not in fields_set:
                    continue
                value = values[name]
                if value is None:
                    if nil_attrs is not None and not exclude_none:
                        sub_element(el, tag, nil_attrs).text = ""
                    continue
                if code <= _TEXT:  # a scalar (_STR or _TEXT)
                    if isinstance(value, str):
                        text = value if type(value) is str else str(value)
                    else:
                        text = scalar_to_text(value)
                    # lxml refuses exactly the characters XML 1.0 cannot carry (ValueError);
                    # the handler below names the field.
                    if attrs is None:
                        sub_element(el, tag).text = text
                    else:
                        sub_element(el, tag, attrs).text = text
                    continue
                self._write_nested(el, value, code, tag, attrs, item_tag, item_attrs,
                                   exclude_unset=exclude_unset, exclude_none=exclude_none, path=path, name=name)
        except InvalidRequestError:
            raise  # already named by a nested model
        except (ValueError, OverflowError):
            value = values[name]
            if isinstance(value, str):
                check_xml_text(value, path + name)
            raise InvalidRequestError(f"{path}{name}: the value cannot be written in an XML document",
                                      field=path + name) from None
        extra = self.__pydantic_extra__
        if extra:
            for tag, value in extra.items():
                write_extra(el, tag, value, path + tag)

    def _write_nested(self, el: etree._Element, value: Any, code: int, tag: str, attrs: dict[str, str] | None,
                      item_tag: str | None, item_attrs: dict[str, str] | None, *, exclude_unset: bool,
                      exclude_none: bool, path: str, name: str) -> None:
        """Write a nested model, a list of models or repeated strings (the less common kinds)."""
        sub_element = etree.SubElement
        if code == _MODEL:
            value._write_children(sub_element(el, tag), exclude_unset=exclude_unset, exclude_none=exclude_none,
                                  path=f"{path}{name}.")
        elif code == _LIST:
            assert item_tag is not None
            sub = sub_element(el, tag, attrs)
            for i, item in enumerate(value):
                item._write_children(sub_element(sub, item_tag, item_attrs), exclude_unset=exclude_unset,
                                     exclude_none=exclude_none, path=f"{path}{name}[{i}].")
        else:
            for i, item in enumerate(value):
                check_xml_text(item, f"{path}{name}[{i}]")
                sub_element(el, tag).text = item

    def to_xml_reference(self, *, exclude_unset: bool = False, exclude_none: bool = False) -> bytes:
        """Write through pydantic-xml's own machinery (the reference for :meth:`to_xml`)."""
        token = REFERENCE_FLAGS.set((exclude_unset, exclude_none))
        try:
            tree = self.to_xml_tree(exclude_unset=exclude_unset, exclude_none=exclude_none)
        finally:
            REFERENCE_FLAGS.reset(token)
        return _tostring(tree)


_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

_Out = tuple[str, int, str, "dict[str, str] | None", "dict[str, str] | None", "str | None", "dict[str, str] | None"]


def _tostring(el: etree._Element) -> bytes:
    return _DECLARATION + etree.tostring(el, encoding="UTF-8", xml_declaration=False)


def _short_errors(exc: ValidationError) -> str:
    parts: list[str] = []
    for err in exc.errors(include_url=False, include_input=False)[:5]:
        loc = ".".join(str(p) for p in err["loc"])
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


