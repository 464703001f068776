"""Qt user interface of Network Designer (PySide6 + pyqtgraph)."""
