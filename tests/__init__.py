"""Test suite for Network Designer (a package so `tests.helpers` is importable)."""
