"""Callbacks with Keras 3 semantics: hooks into fit/evaluate/predict.

The model they talk to provides `stop_training`, `get_weights()`, `set_weights()`,
`optimizer.learning_rate` (get/set), `save(path)`, `save_weights(path)` and `history`.
"""

from __future__ import annotations

from designer.engine.callbacks.base import Callback
from designer.engine.callbacks.callback_list import CallbackList, pythonify_logs
from designer.engine.callbacks.csv_logger import CSVLogger
from designer.engine.callbacks.early_stopping import EarlyStopping
from designer.engine.callbacks.history import History
from designer.engine.callbacks.lambda_callback import LambdaCallback
from designer.engine.callbacks.learning_rate_scheduler import LearningRateScheduler
from designer.engine.callbacks.model_checkpoint import ModelCheckpoint
from designer.engine.callbacks.monitor import MonitorCallback
from designer.engine.callbacks.progbar import Progbar, ProgbarLogger
from designer.engine.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from designer.engine.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "MonitorCallback",
    "Progbar",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TerminateOnNaN",
    "pythonify_logs",
]
