"""The code reader finds the errors a function can raise through the calls it can resolve."""

from __future__ import annotations

from server.auth.principal import Principal
from server.auth.principals import authenticate
from server.docs.raises import RaiseReader
from server.domains.auth.services import AuthService
from server.domains.todos.services import TodosService
from server.ratelimit import RateLimiter


def test_a_direct_raise_is_found() -> None:
    reader = RaiseReader()
    assert reader.statuses(RateLimiter.check) == {429}
    assert reader.statuses(Principal.require) == {403}


def test_errors_are_followed_through_module_functions_methods_and_typed_attributes() -> None:
    reader = RaiseReader()
    assert 401 in reader.statuses(authenticate)  # TokenError, a subclass of Unauthorized
    # self.ctx.limiter.check: an attribute typed on the class, then its method.
    assert {401, 429} <= reader.statuses(AuthService.login)
    # access.load (another module) answers 404/403; the state rule 409.
    assert {403, 404, 409} <= reader.statuses(TodosService.complete)


def test_library_code_and_unresolvable_calls_add_nothing() -> None:
    reader = RaiseReader()
    assert reader.statuses(len) == frozenset()
    assert reader.statuses(AuthService.__init__) == frozenset()
