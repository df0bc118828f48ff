"""Runs every benchmark under bench/ (``make bench``), each in its own process."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
status = 0
for script in sorted(here.glob("bench_*.py")):
    print(f"== {script.name}", flush=True)
    status |= subprocess.call([sys.executable, str(script)], cwd=here.parent)
sys.exit(status)
