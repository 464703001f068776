# ../shared/seeds/001_*.txt with only the imports changed. The tutorial types its
# statements into an interactive session; the printed weights are set as it shows them.
import numpy as np
from designer.engine.layers import Input, Dense
from designer.engine.models import Model

data = np.random.rand(250,2)
labels = (np.sum(data, axis=1) > 0.5) * 2 - 1

input = Input(shape=(2,))
hidden = Dense(5, activation='tanh')
output = Dense(1, activation='tanh')

model = Model(input=input, output=output(hidden(input)))
model.compile('adam', 'hinge', metrics=['accuracy'])
model.fit(data, labels, nb_epoch=150, validation_split=0.2)

hidden.get_weights()

# The weights the tutorial printed after its training run:
hidden.set_weights([np.array([[-1.08239257,  0.32482854,  0.95010394,  0.00501535, -0.47380614],
       [-0.56682748,  1.15749049,  0.91618514,  0.37518814, -0.67639047]], dtype=np.float32),
 np.array([-0.18290569,  0.21453567,  0.01353107,  0.27740911,  0.09604219], dtype=np.float32)])
output.set_weights([np.array([[-0.8775745 ],
       [ 1.09351909],
       [ 0.21981503],
       [ 1.31380796],
       [-0.10301871]], dtype=np.float32),
 np.array([ 0.27410847], dtype=np.float32)])

tutorial_prediction = model.predict(np.array([[0.3, 0.1]]))

# "絶対に正解するモデルをつくる": the hand-set perfect model.
data = np.random.rand(250,2)
labels = (np.sum(data, axis=1) > 0.5) * 2 - 1

input = Input(shape=(2,))
output = Dense(1, activation='tanh')

model = Model(input=input, output=output(input))
model.compile('adam', 'hinge', metrics=['accuracy'])

output.set_weights([np.array([[1.0], [1.0]]), np.array([-0.5])])

test = np.random.rand(200, 2)
predict = np.sign(model.predict(test).flatten())
real = (np.sum(test, axis=1) > 0.5) * 2 - 1
print(sum(predict == real) / 200.0)
perfect_accuracy = sum(predict == real) / 200.0
