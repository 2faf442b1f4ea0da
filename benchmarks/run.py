"""facilitrack's benchmarks: every figure is a ratio against a baseline run in the same process.

Machines here are noisy, so no absolute time is a result. Each measure runs its subject and its
baseline alternately and keeps the best of each; the ratio between them is what is compared
with the target.

    python benchmarks/run.py --quick --json     # the smoke run CI does (well under a minute)
    python benchmarks/run.py                    # the full sizes, as a table
    python benchmarks/run.py --only replay_memory
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cli
import measures
import stores


@dataclass
class Result:
    """One measure: facilitrack's figure, the baseline's, their ratio and the target."""

    name: str
    value: float
    baseline: float
    ratio: float
    target: float
    goal: str  # "at least" or "at most": which side of the target is good
    unit: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.ratio >= self.target if self.goal == "at least" else self.ratio <= self.target

    def line(self) -> str:
        return json.dumps({**asdict(self), "ratio": round(self.ratio, 3), "ok": self.ok})


def alternate(
    subject: Callable[[], object], baseline: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Best seconds of each, run turn about so both see the same machine weather."""
    best_s = best_b = float("inf")
    for _ in range(repeat):
        for fn, which in ((baseline, "b"), (subject, "s")):
            gc.collect()
            start = time.perf_counter()
            fn()
            took = time.perf_counter() - start
            if which == "s":
                best_s = min(best_s, took)
            else:
                best_b = min(best_b, took)
    return best_s, best_b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--only", action="append", help="run only this measure (repeatable)")
    args = parser.parse_args(argv)
    quick = args.quick
    sizes = {**(measures.QUICK if quick else measures.FULL), **(stores.QUICK if quick else stores.FULL),
             **(cli.QUICK if quick else cli.FULL)}
    chosen = [m for m in (*measures.ALL, *stores.ALL, *cli.ALL) if not args.only or m.__name__ in args.only]
    results: list[Result] = []
    for measure in chosen:
        for raw in measure(sizes, alternate):
            result = Result(**raw)
            results.append(result)
            if args.json:
                print(result.line(), flush=True)
    if not args.json:
        print(table(results))
    return 0


def table(results: list[Result]) -> str:
    """The results as a Markdown table, with the machine they ran on."""
    head = (
        f"machine: {platform.machine()}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}\n\n"
        "| measure | facilitrack | baseline | ratio | target | ok |\n"
        "|---|---:|---:|---:|---|---|"
    )
    rows = [
        f"| {r.name} | {r.value:,.0f} {r.unit} | {r.baseline:,.0f} {r.unit} | {r.ratio:.2f} "
        f"| {r.goal} {r.target} | {'yes' if r.ok else 'NO'} |"
        for r in results
    ]
    return "\n".join([head, *rows])


if __name__ == "__main__":
    raise SystemExit(main())
