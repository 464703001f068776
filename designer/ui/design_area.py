"""The centre of the window: the design as a stack or as a graph, and its validity banner."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from designer.ui.document import Document
from designer.ui.graph import GraphView
from designer.ui.stack.view import StackView
from designer.ui.welcome import WelcomePage

STACK, GRAPH = 0, 1


def validity_text(document: Document) -> tuple[bool, str]:
    """(ok, one line): what the status bar and banner say about the design."""
    result = document.build_result
    if result.ok:
        model = result.model
        kind = "Sequential" if result.is_chain else "Functional"
        return (
            True,
            f"{kind} model · {len(model.layers)} layers · {model.count_params():,} parameters",
        )
    issue = result.issues[0]
    where = ""
    if issue.node_id and issue.node_id in document.design.nodes:
        node = document.design.node(issue.node_id)
        where = f"{node.name or node.type}: "
    more = len(result.issues) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return False, f"{where}{issue.message}{suffix}"


class DesignArea(QWidget):
    """Stack view and graph view of one document; a chain can be shown in either."""

    view_changed = Signal(int)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setObjectName("designArea")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("designTabs")
        self.tabs.setDocumentMode(True)
        self.stack_view = StackView(document)
        self.graph_view = GraphView(document)
        self.tabs.addTab(self.stack_view, "Stack (Sequential)")
        self.tabs.addTab(self.graph_view, "Graph (Functional)")
        self.tabs.currentChanged.connect(self.view_changed)
        self.banner = QLabel()
        self.banner.setObjectName("validityBanner")
        self.banner.setWordWrap(True)
        self.banner.setMargin(6)
        self.welcome = WelcomePage()
        self.welcome.empty_requested.connect(self.dismiss_welcome)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.pages)
        layout.addWidget(self.banner)
        document.node_added.connect(self.dismiss_welcome)
        self.stack_view.graph_view_requested.connect(self.show_graph)
        document.design_reset.connect(self._on_reset)
        document.build_changed.connect(self._refresh_banner)
        self._refresh_banner()

    @property
    def welcome_shown(self) -> bool:
        return self.pages.currentWidget() is self.welcome

    @Slot()
    def dismiss_welcome(self, *_args) -> None:
        self.pages.setCurrentWidget(self.tabs)

    @Slot()
    def show_stack(self) -> None:
        self.dismiss_welcome()
        self.tabs.setCurrentIndex(STACK)

    @Slot()
    def show_graph(self) -> None:
        self.dismiss_welcome()
        self.tabs.setCurrentIndex(GRAPH)

    @Slot()
    def _on_reset(self) -> None:
        """Open a chain as a stack and anything else as a graph; welcome on an empty one."""
        if not self.document.design.nodes:
            self.pages.setCurrentWidget(self.welcome)
            return
        self.pages.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(STACK if self.document.stack_order() is not None else GRAPH)

    @Slot()
    def _refresh_banner(self) -> None:
        if not self.document.design.nodes:
            self.banner.setText("Drag layers from the palette to start a design.")
            self.banner.setStyleSheet("color: palette(mid);")
            return
        ok, text = validity_text(self.document)
        self.banner.setText(("✓ " if ok else "⚠ ") + text)
        self.banner.setStyleSheet(
            "background: #eaf6ec; color: #1e5b2a;" if ok else "background: #fdecea; color: #8c1d18;"
        )
