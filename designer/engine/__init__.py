"""designer.engine: a NumPy neural-network engine with the Keras API.

Scripts written for Keras run on it with only their import lines changed. It never
imports Qt: the GUI drives the very same objects that a script would.
"""
