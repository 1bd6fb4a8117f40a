"""examples/finetune_minilm_head.py under webtensor: a head trained on frozen all-MiniLM-L6-v2
embeddings (webtensor's encoder) follows torch's run on sentence-transformers' embeddings
(golden) within 1e-4 relative at every step, and scores as torch's on the unseen sentences."""


def test_head_training_matches_torch(run_example, training_golden, rel_diff):
    want = training_golden("minilm_head.json")
    losses, acc = run_example("finetune_minilm_head", [])
    assert rel_diff(losses, want["losses"]) < 1e-4, rel_diff(losses, want["losses"])
    assert acc == want["test_accuracy"] and acc >= 0.9
