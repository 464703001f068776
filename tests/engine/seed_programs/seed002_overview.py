# ../shared/seeds/002_*.txt ("Keras - Overview"), every snippet in order, imports changed.
# The text's typo `assert model3.input_shape == (32, 6, 8))` is fixed to valid Python;
# x_train/y_train/x_test/y_test/my_x are the text's free names, defined here.
import numpy as np

from designer.engine.models import Sequential
model = Sequential()
# a valid model, but cannot be used without any layers in it

from designer.engine.layers import Dense
from designer.engine.models import Sequential
model1 = Sequential()
model1.add(Dense(5, input_dim=2))
model1.add(Dense(1))
assert len(model1.layers) == 2 # input layer is not counted
layers = [Dense(5, input_dim=2), Dense(1)]
model2 = Sequential(layers)
assert len(model2.layers) == 2

model1 = Sequential()
model1.add(Dense(32, input_shape=(784,)))
assert model1.input_shape == (None, 784)
model2 = Sequential()
model2.add(Dense(32, input_dim=784)) # shorthand that works with some layers
assert model2.input_shape == (None, 784)
model3 = Sequential()
model3.add(Dense(32, batch_size=32, input_shape=(6, 8)))
assert model3.input_shape == (32, 6, 8)

import designer.engine.backend as K
from designer.engine.layers import Activation, Dense
from designer.engine.models import Sequential
model1 = Sequential()
model1.add(Dense(64, input_shape=(32,), activation='tanh'))
model2 = Sequential()
model2.add(Dense(64, input_shape=(32,)))
model2.add(Activation('tanh'))
assert len(model1.layers) == 1
assert len(model2.layers) == 2
assert model1.layers[0].activation == model2.layers[1].activation
model3 = Sequential()
model3.add(Dense(64, input_shape=(32,), activation=K.tanh))

from designer.engine import losses, optimizers
model = Sequential()
model.add(Dense(32, input_shape=(784,)))
sgd = optimizers.SGD() # uses default values
model.compile(optimizer=sgd, loss=losses.mean_squared_error)

model = Sequential()
model.add(Dense(32, input_shape=(784,)))
sgd = optimizers.SGD(lr=0.02, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(
optimizer=sgd,
loss=losses.mean_squared_error,
metrics=['accuracy']
)

model = Sequential()
model.add(Dense(32, input_shape=(784,)))
def mean_pred(y_true, y_pred):
    return K.mean(y_pred)
sgd = optimizers.SGD(lr=0.02, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(
optimizer=sgd,
loss=losses.mean_squared_error,
metrics=['accuracy', mean_pred]
)

x_train = np.random.rand(200, 784).astype("float32")
y_train = np.eye(32, dtype="float32")[np.random.randint(0, 32, 200)]
x_test, y_test, my_x = x_train[:50], y_train[:50], x_train[:5]

# Sections 3-5 ("Fit", "Evaluate", "Predict") on the model with the custom metric ...
history = model.fit(x_train, y_train, batch_size=10, epochs=100)
loss, accuracy, mean_pred_value = model.evaluate(x_test, y_test)
predictions = model.predict(my_x)
# ... and `loss, accuracy = model.evaluate(...)` as printed, for a model whose compile
# names one metric ("returns loss + all metrics defined in model.compile").
model.compile(optimizer=sgd, loss=losses.mean_squared_error, metrics=['accuracy'])
loss, accuracy = model.evaluate(x_test, y_test)
