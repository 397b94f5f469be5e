"""Run every ``benchmarks/bench_*.py`` in turn and print what each reports.

    python benchmarks/run_all.py [ARGS…]   (ARGS are passed to every script, e.g. --database-url URL)

Exits non-zero when any script does (a benchmark over its target exits 1), after running them all.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if not scripts:
        print("no benchmarks found")
        return 0
    failed = []
    for script in scripts:
        print(f"== {script.name} ==", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), *argv], cwd=HERE.parent)
        took = time.perf_counter() - started
        status = "ok" if result.returncode == 0 else f"exit code {result.returncode}"
        print(f"== {script.name}: {status}, {took:.0f} s ==\n", flush=True)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print("not met or failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
