"""The chat page (demo_site/chat.html): SmolLM2 streams its reply from a Web Worker, and the
page's main thread stays free. The same page with Python on the main thread (?thread=main) is
the contrast: there each model step is a main-thread task of hundreds of milliseconds.

Measured with the Long Tasks API (tasks over 50 ms) by a script the test adds to the page
before it loads (independent of the page's own display of the same number)."""
import json

import pytest

# the Long Tasks observer the test installs (Playwright init scripts are not subject to the CSP)
_OBSERVE = """window.__longTasks = [];
new PerformanceObserver((l) => window.__longTasks.push(...l.getEntries().map(
  (e) => ({start: e.startTime, duration: e.duration})))).observe({type: "longtask"});"""
_LONGEST = """([t0, t1]) => Math.max(0, ...window.__longTasks
  .filter((e) => e.start + e.duration > t0 && e.start < t1).map((e) => e.duration))"""


def _golden(repo):
    smol = json.loads((repo / "tests" / "golden" / "models" / "smollm2.json").read_text())
    return smol["prompts"][0]


def ask(page, url, query):
    """Open chat.html?query, send the prefilled question -> (page's result, the test's own
    longest main-thread task during the reply, ms)."""
    page.add_init_script(_OBSERVE)
    page.goto(url + "chat.html?" + query)
    page.wait_for_selector("#status[data-state=ready], #status[data-state=error]",
                           state="attached", timeout=120_000)
    assert page.get_attribute("#status", "data-state") == "ready", page.text_content("#error")
    t0 = page.evaluate("performance.now()")
    page.click("#send")
    page.wait_for_selector("#status[data-state=done], #status[data-state=error]",
                           state="attached", timeout=120_000)
    t1 = page.evaluate("performance.now()")
    assert page.get_attribute("#status", "data-state") == "done", page.text_content("#error")
    r = json.loads(page.text_content("#result-json"))
    return r, page.evaluate(_LONGEST, [t0, t1])


@pytest.mark.parametrize("thread", ["worker", "main"])
def test_chat_page(demo_page, demo_url, repo, thread, screenshot):
    golden = _golden(repo)
    page = demo_page
    query = "max_new_tokens=8" + ("&thread=main" if thread == "main" else "")
    r, longest = ask(page, demo_url, query)
    reply = r["turns"][0]
    print(f"chat ({thread}): {reply['text']!r}, {reply['tokens_per_s']:.1f} tokens/s; "
          f"main thread's longest task while answering: {longest:.0f} ms "
          f"(page says {reply['main_thread_longest_task_ms']:.0f} ms); load {r['load_ms']:.0f} ms, "
          f"timings {r['info']['timings']}, prefill {reply['prefill_ms']:.0f} ms")
    assert r["thread"] == thread and r["info"]["backend"] == "wasm"
    assert reply["prompt_ids"] == golden["ids"]
    assert reply["new_ids"] == golden["greedy"]
    assert reply["text"] == golden["greedy_text"]
    assert page.text_content(".msg.assistant") == golden["greedy_text"]
    assert "tokens/s" in page.text_content("#speed")
    screenshot(page, f"chat-{thread}")
    if thread == "worker":
        assert longest < 50, f"a main-thread task of {longest:.0f} ms while the worker ran"
    else:   # the contrast: the prompt's prefill alone is one long task
        assert longest > 50, longest
