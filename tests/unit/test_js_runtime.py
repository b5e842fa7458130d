"""The browser runtime's own unit tests (``tests/js/*.test.js``, Node's built-in runner) inside pytest.

Node is a Debian package that ``.ci/run`` installs with the browser; the README's one test command runs these.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

JS_TESTS = Path(__file__).resolve().parents[1] / "js"


def test_node_test_runs_the_runtime_tests_and_they_pass():
    node = shutil.which("node")
    assert node, "node is missing: apt-get install nodejs (see .ci/run)"
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.js"))
    assert files, "no JavaScript tests found"
    done = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout and "# pass " in done.stdout
