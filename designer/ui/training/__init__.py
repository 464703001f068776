"""Training from the GUI: a worker thread, its controller, live plots and the panel."""
