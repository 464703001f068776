"""Models: `Sequential` and the functional `Model`, with Keras' training API."""

from designer.engine.models.functional import Model
from designer.engine.models.sequential import Sequential
from designer.engine.models.serialization import model_from_config, model_from_json

Functional = Model

__all__ = ["Functional", "Model", "Sequential", "model_from_config", "model_from_json"]
