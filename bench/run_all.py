"""Run every benchmark (``make bench``): the map in the browser, the static export, then many sessions."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ("bench_map.py", "bench_export.py", "bench_load.py"):
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=False)
