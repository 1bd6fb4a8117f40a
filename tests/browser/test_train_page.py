"""The training page (demo_site/train.html): examples/train_digits.py trains the digits CNN in a
Web Worker from torch's initial weights; the losses streamed to the page after every step (and
drawn) equal real torch's curve (golden) within 1e-4 relative, and the test accuracy after the
first epoch equals the same script's under real torch on CPython."""
import importlib.util
import json

STEPS = 21      # one epoch of the train split (1,347 images, batches of 64, drop_last)


def _torch_run(repo, steps):
    """examples/train_digits.py under real torch -> (losses, test accuracy)."""
    spec = importlib.util.spec_from_file_location("train_digits_torch",
                                                  repo / "examples" / "train_digits.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.main(["--steps", str(steps)])


def _wait(page, states, timeout_s):
    sel = ", ".join(f"#status[data-state={s}]" for s in (*states, "error"))
    page.wait_for_selector(sel, state="attached", timeout=timeout_s * 1000)
    state = page.get_attribute("#status", "data-state")
    assert state != "error", page.text_content("#error")
    return state


def test_train_page_streams_torchs_loss_curve(demo_page, demo_url, repo, screenshot):
    golden = json.loads((repo / "tests/golden/training/digits.json").read_text())["torch"]
    page = demo_page
    page.goto(f"{demo_url}train.html?steps={STEPS}")
    _wait(page, ["ready"], 120)
    assert page.get_attribute("#start", "disabled") is None
    page.click("#start")
    _wait(page, ["done"], 120)
    r = json.loads(page.text_content("#result-json"))
    assert r["thread"] == "worker"
    streamed = r["streamed_losses"]
    assert len(streamed) == STEPS and streamed == r["losses"]
    worst = max(abs(a - b) / abs(b) for a, b in zip(streamed, golden["losses"]))
    assert worst < 1e-4, worst
    points = page.get_attribute("#loss polyline.line", "data-points")
    assert int(points) == STEPS

    _, torch_acc = _torch_run(repo, STEPS)
    assert r["streamed_accuracies"] == r["accuracies"] and len(r["accuracies"]) == 1
    assert abs(r["accuracies"][0] - torch_acc) < 1e-6, (r["accuracies"], torch_acc)
    bars = page.eval_on_selector_all("#accuracy g.bar", "gs => gs.map(g => +g.dataset.value)")
    assert bars == r["accuracies"]
    print(f"train page: {STEPS} steps in {r['train_ms'] / 1000:.1f} s, losses within "
          f"{worst:.1e} of torch's, epoch-1 test accuracy {r['accuracies'][0]:.4f} "
          f"(torch {torch_acc:.4f})")
    screenshot(page, "train")
