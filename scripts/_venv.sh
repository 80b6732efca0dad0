# Shared by scripts/run and scripts/test: make .venv and install pinned requirements
# (skipped when the requirement files have not changed since the last install).
ensure_venv() {
  local python=${PYTHON:-python3}
  if [ ! -x .venv/bin/python ]; then
    echo "Creating .venv with $($python --version 2>&1)…"
    "$python" -m venv .venv
  fi
  local stamp=.venv/.requirements.sha256
  local want
  want=$(cat "$@" | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "Installing Python packages ($*)…"
    .venv/bin/python -m pip install --disable-pip-version-check -q $(printf -- '-r %s ' "$@")
    echo "$want" > "$stamp"
  fi
}
