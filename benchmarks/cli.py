"""The command line as a user meets it: start-up, and cohort files far larger than the examples.

Every figure is a whole process, timed from outside (start-up included), against a baseline
process run turn about with it, best of several; modules run from cached bytecode, as an
installed copy does. Time is the child's processor time (user + system, from ``wait4``): on a
shared machine a process waiting for a processor is not doing the command's work, and wall
time swings with the neighbours (the best wall-clock ratio is in each row's detail). Peak
memory is the child's own resident set, against the baseline's.
The large cohort files are generated here: N trainees of the MPG workload, each with the first
R of their event rows (a cohort in progress), written as a coordinator would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import workload
from facilitrack import ArtifactRecorded, Attended

Row = dict[str, Any]

QUICK = {"cli_runs": 3, "run_trainees": 100, "check_trainees": 300, "check_runs": 1}
FULL = {"cli_runs": 7, "run_trainees": 1_000, "check_trainees": 12_000, "check_runs": 2}
ROOT = Path(__file__).resolve().parent.parent
#: Rows per trainee: of the large `run` cohort (a cohort in its first weeks) and of the `check` one.
RUN_ROWS, CHECK_ROWS = 11, 57
IMPORTS = "import pydantic, transitions, pluggy, tomllib"


def cohort_file(trainees: int, rows: int) -> str:
    """A valid cohort file: `trainees` trainees, each with their first `rows` event rows."""
    head = ['[cohort]', 'name = "Benchmark cohort"', 'program = "mpg"', 'version = "1.0"',
            'track = "toddler"', ""]
    table: list[str] = []
    events: list[str] = []
    for i in range(trainees):
        first, *rest = workload.clean_mpg(i)
        table += ["[[trainees]]", f'id = "{first.trainee}"', f'name = "Trainee {i}"',
                  'credential = "licensed"', f"enrolled = {first.on}", 'trainer = "dr-miller"', ""]
        for e in rest[:rows]:
            events += ["[[events]]", f'trainee = "{e.trainee}"', f"on = {e.on}"]
            if isinstance(e, Attended):
                events.append(f'attended = "{e.activity}"')
            else:
                assert isinstance(e, ArtifactRecorded)
                events += [f'artifact = "{e.artifact}"', f'status = "{e.status.value}"', f'ref = "{e.ref}"']
            events.append("")
    return "\n".join(head + table + events)


def _facilitrack() -> list[str]:
    """The console script installed beside this interpreter (else ``python -m facilitrack``)."""
    script = Path(sys.executable).with_name("facilitrack")
    return [str(script)] if script.exists() else [sys.executable, "-m", "facilitrack"]


#: Bytecode may be written and read, as for an installed copy (some shells turn it off).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


#: Runs a command from a small process and reports its processor and wall seconds and peak
#: resident bytes. A child forked from this (large) benchmark process would count the parent's
#: pages in its peak (the kernel keeps the high-water mark across exec); one forked from a fresh
#: interpreter counts only its own.
_LAUNCHER = """
import os, sys, time
begin = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1); os.dup2(null, 2)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - begin
print(os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss * 1024)
"""


def child(cmd: list[str]) -> tuple[float, float, int]:
    """The process's processor seconds, its wall seconds and its own peak resident bytes."""
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], capture_output=True, text=True,
                          env=_ENV, check=True)
    code, cpu, wall, peak = done.stdout.split()
    if int(code) not in (0, 1):  # `check` exits 1 on rules broken; anything else is a failure
        raise RuntimeError(f"{' '.join(cmd)} exited {code}")
    return float(cpu), float(wall), int(peak)


@dataclass
class Pair:
    """Best processor and wall seconds, and peak memory, of a subject and its baseline."""

    cpu: tuple[float, float]
    wall: tuple[float, float]
    memory: tuple[int, int]


def turn_about(subject: list[str], baseline: list[str], runs: int) -> Pair:
    """Each command run `runs` times in turn, after one warm-up each."""
    child(subject), child(baseline)
    pairs = [(child(subject), child(baseline)) for _ in range(runs)]
    best = [tuple(min(p[i][k] for p in pairs) for i in (0, 1)) for k in (0, 1)]
    peak = tuple(max(p[i][2] for p in pairs) for i in (0, 1))
    return Pair(cpu=best[0], wall=best[1], memory=peak)  # type: ignore[arg-type]


def _row(name: str, pair: Pair, target: float, detail: str) -> Row:
    (s, b), (ws, wb) = pair.cpu, pair.wall
    return {"name": name, "value": s * 1e3, "baseline": b * 1e3, "ratio": s / b, "target": target,
            "goal": "at most", "unit": "ms cpu",
            "detail": f"{detail}; wall {ws * 1e3:.0f} vs {wb * 1e3:.0f} ms ({ws / wb:.2f})"}


def startup(sizes: dict[str, int], timer: Callable[..., Any]) -> list[Row]:
    """`--help`, `programs` and `run` on the largest example, against importing the dependencies."""
    del timer  # whole processes: timed here, turn about
    ft = _facilitrack()
    largest = max((ROOT / "examples").glob("*/cohort.toml"), key=lambda p: p.stat().st_size)
    base = [sys.executable, "-c", IMPORTS]
    runs = sizes["cli_runs"]
    out = []
    for name, args, target in (("cli_help", ["--help"], 1.5), ("cli_programs", ["programs"], 1.5),
                               ("cli_run_example", ["run", str(largest)], 2.0)):
        pair = turn_about([*ft, *args], base, runs)
        out.append(_row(name, pair, target, f"facilitrack {' '.join(args[:1])}"
                        f"{' ' + largest.relative_to(ROOT).as_posix() if args[0] == 'run' else ''};"
                        f" baseline: python -c '{IMPORTS}'; best of {runs}"))
    return out


def large_cohorts(sizes: dict[str, int], timer: Callable[..., Any]) -> list[Row]:
    """`run` and `check` on generated cohorts, against `tomllib.load` of the same file."""
    del timer
    ft = _facilitrack()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for command, trainees, rows, runs in (
            ("run", sizes["run_trainees"], RUN_ROWS, sizes["cli_runs"]),
            ("check", sizes["check_trainees"], CHECK_ROWS, sizes["check_runs"]),
        ):
            path = Path(tmp) / f"{command}.toml"
            path.write_text(cohort_file(trainees, rows), encoding="utf-8")
            load = [sys.executable, "-c", f"import tomllib; tomllib.load(open({str(path)!r}, 'rb'))"]
            pair = turn_about([*ft, command, str(path)], load, runs)
            megabytes = path.stat().st_size / 1e6
            size = f"{trainees:,} trainees, {trainees * (rows + 1):,} rows, {megabytes:.1f} MB"
            detail = f"facilitrack {command} on {size}; baseline: tomllib.load of it; best of {runs}"
            out.append(_row(f"cli_{command}_large", pair, 4.0, detail))
            if command == "check":
                s_mem, b_mem = pair.memory
                out.append({"name": "cli_check_large_memory", "value": s_mem / 2**20,
                            "baseline": b_mem / 2**20, "ratio": s_mem / b_mem, "target": 4.0,
                            "goal": "at most", "unit": "MiB", "detail": f"peak RSS; {detail}"})
    return out


ALL: list[Callable[[dict[str, int], Callable[..., Any]], list[Row]]] = [startup, large_cohorts]
