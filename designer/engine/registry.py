"""One name registry for the families that Keras reaches by name.

Losses, metrics, optimizers, initializers, regularizers and activations are each
reached by a name ('adam'), a config dict, a class, an instance or a callable, and
each lists its valid names when a name is wrong. `Registry` does that once, in one
wording; what really differs between the families stays in their modules as small
hooks: how a registered entry becomes the result (`make`), what other identifiers
mean (`adapt`: a bare function becomes a wrapped loss, an array an initializer) and
what `get(None)` gives. `FunctionRegistry` adds what losses and metrics share: plain
functions are members too, serialise by name, and travel inside configs in a
wrapper class that names them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

__all__ = ["REFUSE", "FunctionRegistry", "Registry", "serialize_object"]

REFUSE: Any = object()
"""`Registry(default=REFUSE)`: `get(None)` is an error instead of a default."""


def serialize_object(obj: Any, module: str) -> dict[str, Any]:
    """Keras 3's layout of a serialised object, so saved configs read like Keras' own."""
    return {
        "module": module,
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": None,
    }


def _call(obj: Any, name: str) -> Any:
    return obj()


class Registry:
    """Names and aliases -> objects, with Keras' `get`, `serialize` and `deserialize`.

    `objects` is the family's `ALL_OBJECTS_DICT` itself (shared, not copied).
    `hidden` names (base classes) are valid only as a config's `class_name`, never as
    a bare name, and are not listed; `listing` gives the names an error lists (default:
    every other name, sorted). A name is looked up exactly, then, with `ignore_case`,
    regardless of case. `expected` ("a loss name ({names}), ...") words the error for
    an identifier of the wrong type; without it that error lists the valid names.
    """

    def __init__(
        self,
        kind: str,
        module: str,
        objects: dict[str, Any],
        *,
        base: type | None = None,
        hidden: Collection[str] = (),
        listing: Callable[[dict[str, Any]], Iterable[str]] | None = None,
        full_stop: bool = True,
        ignore_case: bool = False,
        default: Any = None,
        make: Callable[[Any, str], Any] = _call,
        adapt: Callable[[Any], Any] | None = None,
        expected: str | None = None,
        from_config: Callable[[Any, dict[str, Any], dict[str, Any]], Any] | None = None,
    ) -> None:
        self.kind = kind
        self.module = module
        self.objects = objects
        self.base = base
        self.hidden = frozenset(hidden)
        self._listing = listing
        self._full_stop = full_stop
        self._ignore_case = ignore_case
        self.default = default
        self._make = make
        self._adapt = adapt
        self._expected = expected
        self._from_config_hook = from_config

    # ------------------------------------------------------------------ names
    def valid_names(self) -> str:
        """The names an error lists, joined for the message."""
        if self._listing is not None:
            return ", ".join(self._listing(self.objects))
        return ", ".join(sorted(k for k in self.objects if k not in self.hidden))

    def unknown_name(self, identifier: Any) -> ValueError:
        end = "." if self._full_stop else ""
        return ValueError(
            f"Could not interpret {self.kind} identifier: {identifier!r}. "
            f"Valid names are: {self.valid_names()}{end}"
        )

    def not_understood(self, identifier: Any) -> ValueError:
        """The error for an identifier that is neither a name nor a usable object."""
        if self._expected is None:
            return self.unknown_name(identifier)
        expected = self._expected.format(names=self.valid_names())
        return ValueError(
            f"Could not interpret {self.kind} identifier: {identifier!r}. Expected {expected}."
        )

    def lookup(self, name: Any, *, hidden_ok: bool = False) -> Any:
        """The registered object for `name`, or the error that lists the valid names."""
        obj = self.objects.get(name)
        if obj is None and self._ignore_case and isinstance(name, str):
            obj = {k.lower(): v for k, v in self.objects.items()}.get(name.lower())
        if obj is None or (not hidden_ok and name in self.hidden):
            raise self.unknown_name(name)
        return obj

    def name_of(self, obj: Any) -> str | None:
        """The first name `obj` is registered under (its own name before its aliases)."""
        return next((name for name, value in self.objects.items() if value is obj), None)

    # ------------------------------------------------------------- Keras API
    def get(self, identifier: Any) -> Any:
        """The family's object for a name, config dict, instance, class or other callable."""
        if identifier is None and self.default is not REFUSE:
            return self.default
        if self.base is not None and isinstance(identifier, self.base):
            return identifier
        if isinstance(identifier, dict):
            return self.deserialize(identifier)
        if isinstance(identifier, str):
            return self._make(self.lookup(identifier), identifier)
        if (self.base is not None and isinstance(identifier, type)
                and issubclass(identifier, self.base)):
            return identifier()
        obj = None if self._adapt is None else self._adapt(identifier)
        if obj is None:
            raise self.not_understood(identifier)
        return obj

    def serialize(self, obj: Any) -> Any:
        """A JSON-able dict in Keras 3's layout (`class_name` + `config`)."""
        return serialize_object(obj, self.module)

    def deserialize(self, config: Any, custom_objects: dict[str, Any] | None = None) -> Any:
        """Inverse of `serialize`; a bare name is read as `get` reads it."""
        custom_objects = custom_objects or {}
        if isinstance(config, str):
            return self.get(custom_objects.get(config, config))
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(self._bad_config(config))
        name = config["class_name"]
        cls = custom_objects.get(name) or self._config_class(name)
        return self._from_config(cls, dict(config.get("config") or {}), custom_objects)

    # ------------------------------------------------- hooks for subclasses
    def _bad_config(self, config: Any) -> str:
        return (
            f"Could not interpret {self.kind} config: expected a dict with 'class_name' and "
            f"'config' keys. Received: {config!r}"
        )

    def _config_class(self, name: Any) -> Any:
        return self.lookup(name, hidden_ok=True)

    def _from_config(self, cls: Any, config: dict[str, Any],
                     custom_objects: dict[str, Any]) -> Any:
        if self._from_config_hook is not None:
            return self._from_config_hook(cls, config, custom_objects)
        return cls.from_config(config)


class FunctionRegistry(Registry):
    """A registry whose members may be plain functions (losses, metrics).

    A function serialises by its name; in a config, `wrapper` (LossFunctionWrapper,
    MeanMetricWrapper) carries the function's name as `fn`, which `functions` (or
    `custom_objects`) turns back into the function.
    """

    def __init__(self, kind: str, module: str, objects: dict[str, Any], *,
                 wrapper: type, functions: Callable[[str], Any], **options: Any) -> None:
        super().__init__(kind, module, objects, **options)
        self.wrapper = wrapper
        self._functions = functions

    def serialize(self, obj: Any) -> Any:
        """A config dict for an instance of the family, or the name of a function."""
        if self.base is not None and isinstance(obj, self.base):
            return serialize_object(obj, self.module)
        return getattr(obj, "__name__", str(obj))

    def _bad_config(self, config: Any) -> str:
        return f"Could not interpret serialized {self.kind}: {config!r}."

    def _config_class(self, name: Any) -> Any:
        obj = self.objects.get(name)
        if obj is None:
            plural = self.kind + ("es" if self.kind.endswith("s") else "s")
            raise ValueError(
                f"Unknown {self.kind} class: {name!r}. Valid names are: {self.valid_names()}. "
                f"Pass custom {plural} with `custom_objects`."
            )
        return obj

    def _from_config(self, cls: Any, config: dict[str, Any],
                     custom_objects: dict[str, Any]) -> Any:
        if not isinstance(cls, type):
            return cls  # a config naming a function: the function itself
        if cls is self.wrapper:
            fn_name = config.pop("fn")
            fn = custom_objects.get(fn_name) or self._functions(fn_name)
            if not callable(fn):
                raise ValueError(
                    f"Unknown {self.kind} function: {fn_name!r}; pass it in `custom_objects`."
                )
            return cls(fn, **config)
        return super()._from_config(cls, config, custom_objects)
