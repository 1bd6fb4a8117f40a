# The digits CNN (plain PyTorch code bound to webtensor; its weights ship in the wheel), run by
# runtime.js in a worker: the page sends 8x8 pixel values 0..16 as sklearn's load_digits has them.
import json
import time

import webtensor as torch
from webtensor.models import digits_cnn
from webtensor.serialization import safetensors

cnn = digits_cnn.DigitsCNN()
cnn.load_state_dict(safetensors.load_file(digits_cnn.WEIGHTS))
cnn.eval()


async def predict(args):
    """args: {"pixels": [64 ints 0..16]} -> the class probabilities."""
    pixels = json.loads(args)["pixels"]
    t0 = time.perf_counter()
    pred, probs = digits_cnn.predict(cnn, digits_cnn.to_images(torch.tensor([pixels])))
    return json.dumps({"pixels": pixels, "prediction": int(pred[0]), "probs": probs[0].tolist(),
                       "ms": (time.perf_counter() - t0) * 1000})
