"""The stack view (Sequential API): the design as a list of layer cards, top to bottom.

`StackView(document)` is the widget; `rows` draws the cards, `layer_list` takes drops,
keys and menu choices.
"""

from designer.ui.stack.view import StackView

__all__ = ["StackView"]
