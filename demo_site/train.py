# Train the digits CNN from scratch, run by runtime.js in a worker: examples/train_digits.py (an
# ordinary torch script) under webtensor.as_torch(), with the files it reads (models/training/
# on the site, at their repo paths) written where it looks for them. Every step's loss and each
# epoch's test accuracy go to the page as events while the loop runs.
import importlib.util
import json
import os
import shutil
import time

import webtensor
from demo_lib import emit, weights
from webtensor.models import digits_cnn

ROOT = "/home/pyodide/train"        # stands for the repo root of examples/train_digits.py
FILES = {"examples/train_digits.py": "models/training/examples/train_digits.py",
         "tests/golden/training/digits.json": "models/training/tests/golden/training/digits.json",
         "tests/golden/training/digits_init.pt":
             "models/training/tests/golden/training/digits_init.pt",
         "tests/golden/models/digits.json": "models/digits_test.json"}
example = None


async def load(_args):
    """Fetch the script and its data; import it (with `import torch` meaning webtensor)."""
    global example
    for rel, site_path in FILES.items():
        os.makedirs(os.path.dirname(f"{ROOT}/{rel}"), exist_ok=True)
        with open(f"{ROOT}/{rel}", "wb") as f:
            f.write(await weights(site_path))
    model_file = f"{ROOT}/pyodide_pkg/webtensor/models/digits_cnn.py"   # the wheel's own copy
    os.makedirs(os.path.dirname(model_file), exist_ok=True)
    shutil.copy(digits_cnn.__file__, model_file)
    spec = importlib.util.spec_from_file_location("train_digits", f"{ROOT}/examples/train_digits.py")
    example = importlib.util.module_from_spec(spec)
    with webtensor.as_torch():
        spec.loader.exec_module(example)
    with open(f"{ROOT}/tests/golden/training/digits.json") as f:
        n_train = len(json.load(f)["train"]["labels"])
    return json.dumps({"steps_per_epoch": n_train // example.BATCH})


async def train(args):
    """args: {"epochs": 15, "steps": null | N (stop after N steps)} -> the run's losses."""
    a = json.loads(args)
    with webtensor.as_torch():
        mod = example.model_module()
        x_tr, y_tr, x_te, y_te = example.load_data()
        per_epoch = len(x_tr) // example.BATCH
        model, opt, sched = example.build(mod, a["epochs"] * per_epoch)
        t0 = time.perf_counter()
        accuracies = []

        def on_step(step, loss):
            emit("step", step=step, loss=loss, ms=(time.perf_counter() - t0) * 1000)

        def on_epoch(epoch):
            accuracies.append(example.accuracy(mod, model, x_te, y_te))
            emit("epoch", epoch=epoch, accuracy=accuracies[-1])

        losses = example.train(mod, model, opt, sched, x_tr, y_tr, a["epochs"], a.get("steps"),
                               on_step=on_step, on_epoch=on_epoch)
        ms = (time.perf_counter() - t0) * 1000
    return json.dumps({"losses": losses, "accuracies": accuracies, "train_ms": ms,
                       "steps_per_epoch": per_epoch, "test_images": len(y_te)})
