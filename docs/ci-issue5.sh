# --- issue 5: headless Chromium for the chat widget's browser test
# (tests/widget_browser.rs). Paste into .ci/run before `cargo test`.
# Installs Debian's chromium and chromedriver unless both are already there,
# then makes the browser test fail (instead of skipping) if they are missing.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "== installing chromium and chromium-driver (widget browser test)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
chromium --version
chromedriver --version
export FAQBOT_REQUIRE_BROWSER=1
