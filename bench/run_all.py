"""Run every benchmark (``make bench``): map in the browser, static export, one-file interactive map."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ("bench_map.py", "bench_export.py", "bench_html.py"):
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=False)
