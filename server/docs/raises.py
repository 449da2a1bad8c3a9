"""Which error statuses a route can answer, read from the code it runs.

Starting at a route handler (and the dependency providers it uses), the reader follows every
call it can resolve from the source alone: module functions, methods of `self`, of annotated
parameters and attributes (`self.ctx.limiter.check`), of classes built in the function
(`TodosService(db, principal).get`), with their return annotations, within the project's own
packages. Every `AppError` subclass raised or constructed on the way is a status the route may
answer. What it cannot resolve it leaves out rather than guess, so the OpenAPI document may miss
a status but never invents one; `server.docs.openapi.EXTRA_STATUSES` adds what it cannot see.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from server.errors import AppError

PROJECT_PACKAGES = ("server", "models", "realtime", "signaling")


@dataclass(frozen=True, slots=True)
class Instance:
    """An expression known to evaluate to an instance of `cls`."""

    cls: type


@dataclass(frozen=True, slots=True)
class Value:
    """An expression known to evaluate to this very object (a module, class or function)."""

    obj: Any


Known = Instance | Value


def _in_project(obj: Any) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.split(".", 1)[0] in PROJECT_PACKAGES


def _classes(annotation: Any) -> list[type]:
    """The classes an annotation names: `X`, `X | None`, `Annotated[X, ...]`, `Awaitable[X]`."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _classes(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [c for arg in typing.get_args(annotation) for c in _classes(arg)]
    if isinstance(annotation, type) and annotation is not type(None):
        return [annotation]
    return []


def _evaluate(annotation: Any, namespace: dict[str, Any]) -> list[type]:
    if isinstance(annotation, str):
        try:
            annotation = eval(annotation, namespace)  # noqa: S307 - the project's own annotations
        except Exception:
            return []
    return _classes(annotation)


class _Function:
    """One function being read: its syntax tree and how to name what its expressions are."""

    def __init__(self, fn: types.FunctionType, tree: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.fn = fn
        self.tree = tree
        self.namespace = fn.__globals__
        self.owner = self._owner()
        self.params = self._params()
        self.assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                declared = _evaluate(ast.unparse(node.annotation), self.namespace)
                self.params.setdefault(node.target.id, []).extend(declared)

    def _owner(self) -> type | None:
        parts = self.fn.__qualname__.split(".")
        if len(parts) < 2 or "<locals>" in parts:
            return None
        found: Any = self.namespace.get(parts[0])
        for part in parts[1:-1]:
            found = getattr(found, part, None)
        return found if isinstance(found, type) else None

    def _params(self) -> dict[str, list[type]]:
        params: dict[str, list[type]] = {}
        args = self.tree.args
        positional = [*args.posonlyargs, *args.args]
        for arg in [*positional, *args.kwonlyargs]:
            annotation = self.fn.__annotations__.get(arg.arg)
            params[arg.arg] = _evaluate(annotation, self.namespace) if annotation is not None else []
        if (
            self.owner is not None
            and positional
            and not isinstance(inspect.getattr_static(self.owner, self.fn.__name__, None), staticmethod)
        ):
            params[positional[0].arg] = [self.owner]
        return params


class RaiseReader:
    """Reads functions once each; `statuses(fn)` is every AppError status reachable from `fn`."""

    def __init__(self) -> None:
        self._done: dict[Any, frozenset[int]] = {}

    def statuses(self, fn: Callable[..., Any]) -> frozenset[int]:
        fn = inspect.unwrap(fn)
        if isinstance(fn, (classmethod, staticmethod, types.MethodType)):
            fn = fn.__func__
        if not isinstance(fn, types.FunctionType) or not _in_project(fn):
            return frozenset()
        key = fn.__code__
        if key in self._done:
            return self._done[key]
        self._done[key] = frozenset()  # a call cycle adds nothing new
        function = self._read(fn)
        found: set[int] = set()
        if function is not None:
            for node in ast.walk(function.tree):
                if isinstance(node, ast.Call):
                    found |= self._call(function, node)
                elif isinstance(node, ast.Raise) and isinstance(node.exc, (ast.Name, ast.Attribute)):
                    found |= self._errors(self._known(function, node.exc))
        self._done[key] = frozenset(found)
        return self._done[key]

    def _read(self, fn: types.FunctionType) -> _Function | None:
        try:
            source = textwrap.dedent(inspect.getsource(fn))
            tree = ast.parse(source).body[0]
        except (OSError, TypeError, SyntaxError, IndexError):
            return None
        if not isinstance(tree, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        return _Function(fn, tree)

    def _call(self, function: _Function, node: ast.Call) -> set[int]:
        found: set[int] = set()
        for known in self._known(function, node.func):
            if not isinstance(known, Value):
                continue
            target = known.obj
            if isinstance(target, type):
                if issubclass(target, AppError):
                    found.add(target.status)
            elif callable(target):
                found |= self.statuses(target)
        return found

    @staticmethod
    def _errors(known: list[Known]) -> set[int]:
        return {
            k.obj.status
            for k in known
            if isinstance(k, Value) and isinstance(k.obj, type) and issubclass(k.obj, AppError)
        }

    def _known(self, function: _Function, expr: ast.expr, depth: int = 0) -> list[Known]:
        """What `expr` is, as far as the source says (empty when it cannot tell)."""
        if depth > 8:
            return []
        if isinstance(expr, ast.Await):
            return self._known(function, expr.value, depth + 1)
        if isinstance(expr, ast.Name):
            return self._name(function, expr.id, depth)
        if isinstance(expr, ast.Attribute):
            found: list[Known] = []
            for base in self._known(function, expr.value, depth + 1):
                found.extend(self._attribute(base, expr.attr))
            return found
        if isinstance(expr, ast.Call):
            found = []
            for callee in self._known(function, expr.func, depth + 1):
                found.extend(self._result(callee))
            return found
        return []

    def _name(self, function: _Function, name: str, depth: int) -> list[Known]:
        if name in function.params:
            return [Instance(cls) for cls in function.params[name]]
        if name in function.assigned:
            found: list[Known] = []
            for value in function.assigned[name]:
                found.extend(self._known(function, value, depth + 1))
            return found
        if name in function.namespace:
            return [Value(function.namespace[name])]
        return []

    def _attribute(self, base: Known, attr: str) -> list[Known]:
        if isinstance(base, Value):
            if isinstance(base.obj, (types.ModuleType, type)) and hasattr(base.obj, attr):
                return [Value(getattr(base.obj, attr))]
            return []
        member = None
        with contextlib.suppress(AttributeError):
            member = inspect.getattr_static(base.cls, attr)
        if isinstance(member, property) and member.fget is not None:
            return [Instance(c) for c in self._returns(member.fget)]
        if isinstance(member, (types.FunctionType, classmethod, staticmethod)):
            return [Value(getattr(base.cls, attr))]
        return [Instance(c) for c in self._attribute_types(base.cls, attr)]

    def _result(self, callee: Known) -> list[Known]:
        """What calling `callee` gives: an instance of a class, or what a function returns."""
        if not isinstance(callee, Value):
            return []
        if isinstance(callee.obj, type):
            return [Instance(callee.obj)]
        return [Instance(c) for c in self._returns(callee.obj)]

    @staticmethod
    def _returns(fn: Any) -> list[type]:
        fn = inspect.unwrap(fn)
        annotation = getattr(fn, "__annotations__", {}).get("return")
        return _evaluate(annotation, getattr(fn, "__globals__", {})) if annotation is not None else []

    def _attribute_types(self, cls: type, attr: str) -> list[type]:
        """An attribute's type: from a class-level annotation, else from `__init__`'s assignment."""
        for klass in cls.__mro__:
            annotation = inspect.get_annotations(klass).get(attr)
            if annotation is not None:
                module = inspect.getmodule(klass)
                return _evaluate(annotation, vars(module) if module else {})
        init = cls.__dict__.get("__init__")
        if not isinstance(init, types.FunctionType) or not _in_project(init):
            return []
        function = self._read(init)
        if function is None:
            return []
        for node in _self_assignments(function.tree, attr):
            found = self._known(function, node)
            if found:
                return [k.cls for k in found if isinstance(k, Instance)]
        return []


def _self_assignments(tree: ast.AST, attr: str) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        else:
            continue
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr == attr
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            ):
                assert node.value is not None
                yield node.value
