# ../shared/seeds/004_*.txt: the dummy-data model, then "Mnist using MLP", imports changed.
# `mnist.npz` is read from the working directory (the test writes a small one there).
import numpy as np
from designer.engine.models import Sequential
from designer.engine.layers import Dense, Dropout

model = Sequential()
model.add(Dense(64, input_dim = 20, activation = 'relu'))
model.add(Dropout(0.5))
model.add(Dense(64, activation = 'relu'))
model.add(Dropout(0.5))
model.add(Dense(1, activation = 'sigmoid'))

model.compile(loss='binary_crossentropy',
              optimizer='rmsprop',
              metrics=['accuracy'])

x_train = np.random.random((1000, 20))
y_train = np.random.randint(2, size=(1000, 1))
x_test = np.random.random((100, 20))
y_test = np.random.randint(2, size=(100, 1))

model.fit(x_train, y_train,batch_size = 200,epochs = 10)
dummy_model = model

import numpy
from designer.engine.datasets import mnist
from designer.engine.models import Sequential
from designer.engine.layers import Dense
from designer.engine.layers import Dropout
from designer.engine.utils import np_utils

seed = 7
numpy.random.seed(seed)
data = numpy.load('mnist.npz')

X_train, y_train = data['x_train'],data['y_train']
X_test, y_test = data['x_test'], data['y_test']

num_pixels = X_train.shape[1] * X_train.shape[2]
X_train = X_train.reshape(X_train.shape[0], num_pixels).astype('float32')
X_test = X_test.reshape(X_test.shape[0], num_pixels).astype('float32')
# for 0~255 to 0~1
X_train = X_train/255
X_test = X_test/255
# convert to 'one-hot' format
y_train = np_utils.to_categorical(y_train)
y_test = np_utils.to_categorical(y_test)
num_classes = y_test.shape[1]
# create model
model = Sequential()
model.add(Dense(num_pixels, input_dim = num_pixels, activation = 'relu'))
model.add(Dense(num_classes, activation = 'softmax'))
# compile model
model.compile(loss = 'categorical_crossentropy', optimizer = 'adam', metrics = ['accuracy'])
model.fit(X_train, y_train, validation_data = (X_test, y_test), epochs = 10, batch_size = 200, verbose = 2)
scores = model.evaluate(X_test, y_test, verbose = 0)

print("MLP Error: %.2f%%" % (100-scores[1]*100))
