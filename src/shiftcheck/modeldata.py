"""The report and rubric models as plain JSON data and back, without pydantic's serializers or
validators (building those costs more than a small review).

* :func:`json_form` gives what ``model_dump(mode="json", by_alias=True)`` gives: every field in
  declaration order under its (serialization) alias, nested models, lists and dicts alike, dict
  keys as strings. The models it is used on hold only strings, numbers, booleans, None, lists,
  dicts and other models; ``tests/test_model_data.py`` compares it with ``model_dump`` on real
  reports.
* :func:`rebuild_model` turns such data back into the models with ``model_construct``: no
  validator runs or is built. It checks the shape only, so it is for data this code wrote: the
  rubric cache's checked entries, and the report a review child sends back (a child that parsed
  hostile bytes sends data, never code: the worst a damaged message does is fail the shape check
  or the renderer, one error line).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import partial
from types import UnionType
from typing import TYPE_CHECKING, Any, TypeVar, Union, cast, get_args, get_origin

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")

#: model class -> (field name, key in the JSON form) per field, in declaration order
_KEYS: dict[type, list[tuple[str, str]]] = {}


def json_form(value: Any) -> Any:
    """``value`` (a model, or lists and dicts of them) as ``model_dump(mode="json",
    by_alias=True)`` would give it."""
    keys = _KEYS.get(type(value))
    if keys is None and hasattr(type(value), "model_fields"):
        keys = _KEYS[type(value)] = [
            (name, f.serialization_alias or f.alias or name)
            for name, f in type(value).model_fields.items()
        ]
    if keys is not None:
        return {key: json_form(getattr(value, name)) for name, key in keys}
    if isinstance(value, list | tuple):
        return [json_form(v) for v in value]
    if isinstance(value, dict):
        return {(k if isinstance(k, str) else str(k)): json_form(v) for k, v in value.items()}
    return value


def rebuild_model(cls: type[M], data: Any) -> M:
    """The ``cls`` of ``model_dump(mode="json", by_alias=True)`` data (``exclude_unset`` or not)
    of a model this code built: the same models, values, defaults and fields set as validating it
    again gives, built with ``model_construct`` (no validator runs, none is built). Checks only
    the shape: a key the model does not have, a required key missing, an object or a list where
    the other is expected raise ``ValueError``/``TypeError``."""
    return cast(M, _construct(cls, data))


#: model -> one (key in the data, field name, rebuild the value or None, default or None) a field
_Plan = list[tuple[str, str, Callable[[Any], Any] | None, Callable[[], Any] | None]]
_PLANS: dict[type, _Plan] = {}


def _construct(cls: type[BaseModel], data: Any) -> BaseModel:
    plan = _PLANS.get(cls) or _plan(cls)
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__}: expected an object")
    values = {}
    given = set()
    for key, name, rebuild, default in plan:
        if key in data:
            value = data[key]
            values[key] = value if rebuild is None or value is None else rebuild(value)
            given.add(name)
        elif default is None:
            raise ValueError(f"{cls.__name__}: '{key}' is missing")
        else:  # as validation fills it in: the default, not among the fields set
            values[key] = default()
    if len(given) != len(data):
        raise ValueError(f"{cls.__name__}: unknown key")
    return cls.model_construct(given, **values)


def _plan(cls: type[BaseModel]) -> _Plan:
    from pydantic import BaseModel

    plan = _PLANS[cls] = [
        (f.alias or name, name, _rebuilder(f.annotation, BaseModel), _default(f, BaseModel))
        for name, f in cls.model_fields.items()
    ]
    return plan


def _default(field: Any, model: type[BaseModel]) -> Callable[[], Any] | None:
    """A field's default as validation makes it (None: the field is required)."""
    if field.is_required():
        return None
    if field.default_factory is not None:
        if field.default_factory_takes_validated_data:
            raise TypeError("a default factory that reads other fields")
        factory = field.default_factory
        if isinstance(factory, type) and issubclass(factory, model):
            return factory.model_construct  # its defaults, as Model() gives them
        return cast("Callable[[], Any]", factory)
    value = field.default
    if isinstance(value, (str, int, float, type(None))):
        return partial(_same, value)
    return partial(copy.deepcopy, value)


def _same(value: Any) -> Any:
    return value


def _rebuilder(tp: Any, model: type[BaseModel]) -> Callable[[Any], Any] | None:
    """How to turn the JSON form of a ``tp`` back into one (None: it is already one); ``model``
    is pydantic's ``BaseModel``."""
    if isinstance(tp, type) and issubclass(tp, model):
        return partial(_construct, tp)
    origin, args = get_origin(tp), get_args(tp)
    if origin is list:
        item = _rebuilder(args[0], model)
        return None if item is None else partial(_rebuild_list, item)
    if origin is dict:
        value = _rebuilder(args[1], model)
        if args[0] is not int and value is None:
            return None
        return partial(_rebuild_dict, args[0] is int, value)
    if origin in (Union, UnionType):
        options = []
        for arg in args:
            rebuild = _rebuilder(arg, model)
            if rebuild is not None:
                options.append((get_origin(arg) or arg, rebuild))
        return partial(_rebuild_union, options) if options else None
    return None


def _rebuild_list(item: Callable[[Any], Any], value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return [item(v) for v in value]


def _rebuild_dict(int_keys: bool, item: Callable[[Any], Any] | None, value: Any) -> dict:
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return {(int(k) if int_keys else k): (v if item is None else item(v)) for k, v in value.items()}


def _rebuild_union(options: list[tuple[Any, Callable[[Any], Any]]], value: Any) -> Any:
    """The member of ``A | list[B] | None`` the value's JSON kind stands for."""
    for kind, rebuild in options:
        if isinstance(value, list) if kind is list else isinstance(value, dict):
            return rebuild(value)
    return value


__all__ = ["json_form", "rebuild_model"]
