"""examples/train_digits.py under webtensor: from torch's initial weights and with the same
batches, the first 50 losses equal real torch's (golden) within 1e-4 relative. The full run to
>= 97% test accuracy is checked in Chromium (tests/browser/test_training_in_chromium.py)."""


def test_first_50_losses_match_torch(run_example, training_golden, rel_diff):
    want = training_golden("digits.json")["torch"]
    losses, acc = run_example("train_digits", ["--steps", str(want["steps"])])
    assert len(losses) == want["steps"] == 50
    worst = rel_diff(losses, want["losses"])
    assert worst < 1e-4, worst
    assert losses[-1] < 0.5 * losses[0]            # it learns (guards a constant curve)
    assert 0.0 <= acc <= 1.0
