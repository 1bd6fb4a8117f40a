"""examples/train_char_gpt.py under webtensor: from the same initial weights and batches (all
drawn from Python's random), the first steps' losses equal real torch's (golden) within 1e-4
relative. The full 300-step run and its sample are the script's output (benchmarks/RESULTS.md)."""
STEPS = 6


def test_first_steps_match_torch(run_example, training_golden, rel_diff):
    want = training_golden("char_gpt.json")["losses"][:STEPS]
    losses, text = run_example("train_char_gpt", ["--steps", str(STEPS), "--sample", "0"])
    assert rel_diff(losses, want) < 1e-4, rel_diff(losses, want)
    assert losses[-1] < losses[0] and text == ""
