"""The todos domain as the app wires it in."""

from __future__ import annotations

from server.domains.todos.access import check_todo_attachment
from server.domains.todos.controllers import TodosController
from server.manifest import Domain

DOMAIN = Domain(
    name="todos",
    controllers=[TodosController],
    file_owners={"todo": check_todo_attachment},
)
