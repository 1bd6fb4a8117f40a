"""examples/train_digits.py trains the digits CNN from scratch on a Chromium page's main
thread (Pyodide, `webtensor.as_torch()`): the full default run (15 epochs, 315 Adam steps)
reaches >= 97% on the 450 held-out digits, and its first 50 losses equal real torch's (golden
file) within 1e-4 relative. CPython and Node check the first 50 steps (tests/training/)."""
import json

TRAIN_DIGITS = r"""
import importlib.util, json, webtensor
spec = importlib.util.spec_from_file_location("train_digits", "examples/train_digits.py")
example = importlib.util.module_from_spec(spec)
with webtensor.as_torch():
    spec.loader.exec_module(example)
    losses, acc = example.main([])
print("RESULT " + json.dumps({"steps": len(losses), "first": losses[:50], "accuracy": acc}))
"""


def test_digits_cnn_trains_to_97_percent_in_chromium(run_in_browser_with, repo, training_files):
    golden = json.loads((repo / "tests/golden/training/digits.json").read_text())["torch"]
    run = run_in_browser_with("training", training_files)
    code, output, secs = run(code=TRAIN_DIGITS)
    assert code == 0, output[-3000:]
    result = json.loads(output.split("RESULT ", 1)[1].splitlines()[0])
    steps, first, acc = result["steps"], result["first"], result["accuracy"]
    assert steps == 15 * 21
    want = golden["losses"]
    assert len(first) == len(want) == 50
    worst = max(abs(a - b) / abs(b) for a, b in zip(first, want))
    print(f"Chromium: {steps} steps, test accuracy {acc:.4f}, first 50 losses within "
          f"{worst:.1e} of torch's, {secs:.1f} s with page load")
    assert worst < 1e-4, worst
    assert acc >= 0.97, acc
