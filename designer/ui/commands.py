"""Undoable edits of the document: each a small QUndoCommand calling document mutators.

Every command does its work in `redo` and the exact inverse in `undo`; compound edits
(insert into a stack, paste) are macros of these on the document's undo stack.

Structural edits (add, remove, connect, disconnect, change a setting) can change the
shapes of other layers' weights, and the document then gives those layers fresh ones.
So each structural command keeps the weights as they were before it ran and as they
were after it, and puts back exactly those bytes: undoing "Delete layer" restores the
layer's and its neighbours' trained or pasted weights, and redo restores the fresh ones
it made the first time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from designer.spec.compile_settings import CompileSettings
from designer.spec.design import Edge, Node

if TYPE_CHECKING:
    from designer.ui.document import Document


class StructuralCommand(QUndoCommand):
    """A design edit that keeps the weights it found and the weights it left.

    Subclasses implement `apply` and `revert`; this class wraps them so that the weights
    of every layer return bit for bit on undo and on redo.
    """

    def __init__(self, document: Document, text: str) -> None:
        super().__init__(text)
        self.document = document
        self._before: dict[str, list] | None = None
        self._after: dict[str, list] | None = None

    def redo(self) -> None:
        self._before = self.document.weights_snapshot()
        self.apply()
        if self._after is not None:
            self.document.restore_weights(self._after)

    def undo(self) -> None:
        self._after = self.document.weights_snapshot()
        self.revert()
        self.document.restore_weights(self._before or {})

    def apply(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def revert(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class AddNodeCommand(StructuralCommand):
    def __init__(self, document: Document, node: Node, text: str) -> None:
        super().__init__(document, text)
        self.node = node

    def apply(self) -> None:
        self.document._insert_node(self.node.copy(), [])

    def revert(self) -> None:
        self.document._remove_node(self.node.id)


class RemoveNodeCommand(StructuralCommand):
    def __init__(self, document: Document, node_id: str, text: str) -> None:
        super().__init__(document, text)
        self.node_id = node_id
        self.removed: tuple[Node, list[Edge]] | None = None

    def apply(self) -> None:
        self.removed = self.document._remove_node(self.node_id)

    def revert(self) -> None:
        node, edges = self.removed
        self.document._insert_node(node, edges)


class SetParamCommand(StructuralCommand):
    def __init__(self, document: Document, node_id: str, name: str, value: Any, text: str) -> None:
        super().__init__(document, text)
        self.node_id, self.name, self.value = node_id, name, value
        self.old = document.design.node(node_id).params.get(name)

    def apply(self) -> None:
        self.document._set_param(self.node_id, self.name, self.value)

    def revert(self) -> None:
        self.document._set_param(self.node_id, self.name, self.old)

    def id(self) -> int:
        return 1001

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Consecutive changes of one setting (spin-box clicks) undo as one step."""
        if not isinstance(other, SetParamCommand):
            return False
        if (other.node_id, other.name) != (self.node_id, self.name):
            return False
        self.value = other.value
        self._after = other._after
        return True


class SetNameCommand(QUndoCommand):
    def __init__(self, document: Document, node_id: str, name: str) -> None:
        super().__init__(f"Rename layer to {name or 'automatic'}")
        self.document, self.node_id, self.name = document, node_id, name
        self.old = document.design.node(node_id).name

    def redo(self) -> None:
        self.document._set_name(self.node_id, self.name)

    def undo(self) -> None:
        self.document._set_name(self.node_id, self.old)


class MoveNodesCommand(QUndoCommand):
    def __init__(
        self,
        document: Document,
        new: dict[str, tuple[float, float]],
        old: dict[str, tuple[float, float]],
        text: str = "Move",
    ) -> None:
        super().__init__(text)
        self.document, self.new, self.old = document, dict(new), dict(old)

    def redo(self) -> None:
        for node_id, position in self.new.items():
            self.document._set_position(node_id, position)

    def undo(self) -> None:
        for node_id, position in self.old.items():
            self.document._set_position(node_id, position)


class ConnectCommand(StructuralCommand):
    def __init__(self, document: Document, edge: Edge, text: str = "Connect") -> None:
        super().__init__(document, text)
        self.edge = edge

    def apply(self) -> None:
        self.document._add_edge(self.edge)

    def revert(self) -> None:
        self.document._remove_edge(self.edge.id)


class DisconnectCommand(StructuralCommand):
    def __init__(self, document: Document, edge_id: str, text: str = "Disconnect") -> None:
        super().__init__(document, text)
        self.edge = document.design.edges[edge_id]

    def apply(self) -> None:
        self.document._remove_edge(self.edge.id)

    def revert(self) -> None:
        self.document._add_edge(self.edge)


class SetCompileCommand(QUndoCommand):
    def __init__(self, document: Document, settings: CompileSettings, text: str) -> None:
        super().__init__(text)
        self.document = document
        self.new = CompileSettings.from_dict(settings.to_dict())
        self.old = CompileSettings.from_dict(document.compile_settings.to_dict())

    def redo(self) -> None:
        self.document._set_compile(self.new)

    def undo(self) -> None:
        self.document._set_compile(self.old)


class SetWeightsCommand(QUndoCommand):
    """Replace the model's weights (reset, inspector edits): undo restores the old ones."""

    def __init__(self, document: Document, new: dict[str, list], text: str) -> None:
        super().__init__(text)
        self.document = document
        self.new = {k: [a.copy() for a in v] for k, v in new.items()}
        self.old = {
            k: [a.copy() for a in document.weights[k]] for k in new if k in document.weights
        }

    def redo(self) -> None:
        self.document.set_weights(self.new)

    def undo(self) -> None:
        self.document.set_weights(self.old)


class ApplyRunCommand(SetWeightsCommand):
    """A finished or stopped run's weights, applied as one undoable step.

    Pushing it ends any redo branch, so an old redo can never throw a run's result away.
    """


class SetTrainableCommand(QUndoCommand):
    def __init__(self, document: Document, node_id: str, trainable: bool) -> None:
        node = document.design.node(node_id)
        super().__init__(f"{'Unfreeze' if trainable else 'Freeze'} {node.type}")
        self.document, self.node_id, self.trainable = document, node_id, trainable

    def redo(self) -> None:
        self.document._set_trainable(self.node_id, self.trainable)

    def undo(self) -> None:
        self.document._set_trainable(self.node_id, not self.trainable)
