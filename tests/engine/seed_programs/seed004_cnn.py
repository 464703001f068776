# ../shared/seeds/004_*.txt, "Mnist using CNN", with only the imports changed.
# `mnist.npz` is read from the working directory (the test writes a small one there).

import numpy
from designer.engine.models import Sequential
from designer.engine.layers import Dense, Dropout, Flatten
from designer.engine.layers.convolutional import Conv2D
from designer.engine.layers.convolutional import MaxPooling2D
from designer.engine.utils import np_utils
from designer.engine import backend as K
K.set_image_dim_ordering('th')

seed = 7
numpy.random.seed(seed)
data = numpy.load('mnist.npz')
X_train, y_train = data['x_train'],data['y_train']
X_test, y_test = data['x_test'], data['y_test']
X_train = X_train.reshape(X_train.shape[0], 1,28,28).astype('float32')
X_test = X_test.reshape(X_test.shape[0], 1,28,28).astype('float32')
# normalize inputs from 0-255 to 0-1
X_train = X_train/255
X_test = X_test/255
# convert to 'one-hot' format
y_train = np_utils.to_categorical(y_train)
y_test = np_utils.to_categorical(y_test)
num_classes = y_test.shape[1]
# create model
model = Sequential()
model.add(Conv2D(32,(5,5), input_shape = (1,28,28), activation = 'relu'))
model.add(MaxPooling2D(pool_size = (2,2)))
model.add(Dropout(0.2))
model.add(Flatten())
model.add(Dense(128, activation = 'relu'))
model.add(Dense(num_classes, activation = 'softmax'))
# compile model
model.compile(loss = 'categorical_crossentropy', optimizer = 'adam', metrics = ['accuracy'])
# fit the model
model.fit(X_train, y_train, validation_data = (X_test, y_test), epochs = 10, batch_size = 200, verbose = 2)
# evaluation of the model
scores = model.evaluate(X_test, y_test, verbose = 0)
print('CNN Error: %.2f%%' % (100 - scores[1]*100))
