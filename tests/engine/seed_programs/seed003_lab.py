# ../shared/seeds/003_*.txt ("WMR 25 - Lab IV"), imports changed. Its 1.2.x snippets use
# free names (x, y, inputs) and so cannot run as printed; the runnable parts follow.
import numpy as np
from designer.engine.models import Sequential
from designer.engine.layers import Dense, Activation, Dropout

# 1.2.3 Sequential NN examples
# Model initialization:
model = Sequential()

# A simple model:
model.add(Dense(units=20, input_dim=28*28))
model.add(Activation('relu'))

model.add(Dense(units=20))
model.add(Activation('relu'))
model.add(Dropout(0.2))

# The last layer needs to be like this:
model.add(Dense(units=10, activation='softmax'))

model.compile(loss='categorical_crossentropy',
              optimizer='adam',
              metrics=['accuracy'])

print(model.summary())
lab_model = model

# 2 Example 1
np.random.seed(100)

model = Sequential()
dim_input = 2
dim_hidden = 2
model.add(Dense(dim_hidden, input_dim = dim_input, init='uniform'))
model.add(Activation('sigmoid'))
dim_output = 1
model.add(Dense(dim_output, input_dim = dim_hidden))
model.add(Activation('sigmoid'))
example_model = model
