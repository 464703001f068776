"""Shared test helpers (gradient checks, ...)."""
