"""Run every benchmark (``make bench``): browser map, static export, many sessions, one-file map."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in ("bench_map.py", "bench_export.py", "bench_load.py", "bench_html.py", "bench_deck.py"):
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=False)
