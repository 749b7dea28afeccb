r"""Teaching a course from the book: the exercises, a student edition, and a grader.

Three commands, each reading the one registry of exercises,
:data:`snnlib.exercises.registry.EXERCISES`::

    python -m snnlib.course exercises [--json]
    python -m snnlib.course student OUTDIR [--html]
    python -m snnlib.course grade SUBMISSION.ipynb ... --out grades.csv [--timeout SECONDS]

``exercises`` lists every "Implement …" exercise: notebook, label, the function the reader
writes and the check that grades it.

``student`` writes the student edition: the book's tree with every solution removed from the
chapters (the ``{solution-start}`` … ``{solution-end}`` blocks with their code cells, and every
``{solution}`` directive), outputs and widget state cleared. The data files and relative paths
are those of the book, so each chapter runs top to bottom; each "Implement" stub prints its
check's "not implemented yet". With ``--html`` the student edition is also built as a web book
(``OUTDIR/_build/html``), which then has no solutions either.

``grade`` executes each submitted notebook in a fresh kernel (nbclient) with a time limit per
cell and, where the operating system allows it (``unshare --net``, as root), without network.
A cell that raises or runs past the limit is reported and skipped, and the rest runs on. Then
each registered exercise found in the notebook is graded: the reader's function is copied out of
the kernel by value (cloudpickle) and handed, in a new process that has imported the library
afresh, to the check as shipped. What the notebook does to ``check_…``, to
:mod:`snnlib.exercises` or to numpy in its own kernel therefore cannot change a grade. (The
grader guards against a student's mistakes and shortcuts, not against deliberately hostile
code: it runs the submissions' code with the grader's own permissions.)

The grade table is a CSV file with one row per submission and exercise and the columns
``submission, exercise, passed, message``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import copy
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from snnlib.exercises.registry import EXERCISES, Exercise, exercise

__all__ = [
    "GradeRow",
    "exercise_records",
    "exercises_table",
    "grade",
    "main",
    "repository_root",
    "strip_solutions",
    "student_edition",
    "write_grades",
]

#: Time limit per cell when grading, in seconds (the book's own build allows 120).
DEFAULT_TIMEOUT = 120.0
#: The least time a check is given, in seconds: it starts Python, imports the library and runs
#: the reader's function on every case (a plain Python loop over samples may take seconds).
CHECK_TIME = 60.0

_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z-]+)\}")


def repository_root() -> Path:
    """The root of the book's repository, which the student edition is made from.

    Raises
    ------
    FileNotFoundError
        If snnlib is not installed from a checkout of the book (no ``_toc.yml`` beside it).
    """
    root = Path(__file__).resolve().parents[1]
    if not (root / "_toc.yml").is_file():
        raise FileNotFoundError(f"{root} is not the book's repository (no _toc.yml): the course "
                                "tools need snnlib installed from a checkout of the book")
    return root


# ---------------------------------------------------------------------------------------
# The registry, as a table
# ---------------------------------------------------------------------------------------


def exercise_records() -> list[dict[str, object]]:
    """Every registered exercise as a plain record (what ``exercises --json`` prints).

    Examples
    --------
    >>> exercise_records()[0]["notebook"]
    'book/ch01_distributions.ipynb'
    """
    return [{"chapter": e.chapter, "notebook": e.notebook, "label": e.label, "title": e.title,
             "function": e.function, "check": f"snnlib.exercises.{e.check_name}"}
            for e in EXERCISES]


def exercises_table() -> str:
    """The registry as a Markdown table (the page "For instructors" prints it).

    Examples
    --------
    >>> exercises_table().splitlines()[0]
    '| chapter | exercise | label | the reader writes | graded by |'
    """
    lines = ["| chapter | exercise | label | the reader writes | graded by |",
             "|---|---|---|---|---|"]
    lines += [f"| {e.chapter} | {e.title} | `{e.label}` | `{e.function}` | "
              f"`snnlib.exercises.{e.check_name}` |" for e in EXERCISES]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The student edition
# ---------------------------------------------------------------------------------------


def _strip_markdown(text: str, gated: bool) -> tuple[str, bool]:
    """Remove solution directives from one markdown cell.

    ``gated`` says whether the cell starts inside a ``{solution-start}`` … ``{solution-end}``
    block; the second value returned says whether it ends inside one.
    """
    kept: list[str] = []
    closing: str | None = None   # the fence that ends the directive being skipped
    after: bool = gated          # whether we are inside a gated block after that directive
    for line in text.split("\n"):
        if closing is not None:
            if line.strip() == closing:
                closing, gated = None, after
            continue
        match = _FENCE.match(line)
        if match and match["name"] in ("solution", "solution-start", "solution-end"):
            closing = match["fence"]
            after = match["name"] == "solution-start" or (gated and match["name"] == "solution")
            continue
        if not gated:
            kept.append(line)
    if closing is not None:
        raise ValueError("a solution directive is not closed in its markdown cell: "
                         + text[:80])
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n"), gated


def strip_solutions(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` without solutions, outputs or widget state.

    Removed: every ``{solution}`` directive, and everything from a ``{solution-start}``
    directive to the matching ``{solution-end}``, code cells included. Code cells keep their
    source with outputs and execution counts cleared.

    Raises
    ------
    ValueError
        If a ``{solution-start}`` block is never closed.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("Task.\\n\\n```{solution-start} ex\\n```\\nHint."),
    ...     nbformat.v4.new_code_cell("answer = 42"),
    ...     nbformat.v4.new_markdown_cell("```{solution-end}\\n```\\nNext.")])
    >>> [cell.source for cell in strip_solutions(nb).cells]
    ['Task.', 'Next.']
    """
    out = copy.deepcopy(notebook)
    out.metadata.pop("widgets", None)
    cells, gated = [], False
    for cell in out.cells:
        if cell.cell_type == "markdown":
            text, gated_after = _strip_markdown(cell.source, gated)
            if text.strip():
                cell.source = text
                cells.append(cell)
            gated = gated_after
        elif not gated:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            cells.append(cell)
    if gated:
        raise ValueError("a {solution-start} block is never closed by {solution-end}")
    out.cells = cells
    return out


def _chapters(root: Path) -> list[Path]:
    toc = (root / "_toc.yml").read_text(encoding="utf-8")
    names = re.findall(r"file:\s*(\S+)", toc)
    return [root / f"{name}.ipynb" for name in names if (root / f"{name}.ipynb").is_file()]


def student_edition(outdir: str | os.PathLike, *, html: bool = False) -> Path:
    """Write the student edition of the book to ``outdir`` (which must not exist yet).

    The book's tree (configuration, pages, data, assets) is copied; each chapter notebook is
    written through :func:`strip_solutions`. With ``html=True`` the edition is then built as a
    web book in ``outdir/_build/html`` (every chapter executed, as the book's own build does).

    Raises
    ------
    FileExistsError
        If ``outdir`` exists (nothing is overwritten).
    """
    root, out = repository_root(), Path(outdir)
    if out.exists():
        raise FileExistsError(f"outdir {out} exists; give a new folder")
    ignore = shutil.ignore_patterns("_build", ".ipynb_checkpoints", "__pycache__")
    shutil.copytree(root / "book", out / "book", ignore=ignore)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(root / name, out / name)
    for chapter in _chapters(root):
        target = out / chapter.relative_to(root)
        nbformat.write(strip_solutions(nbformat.read(chapter, as_version=4)), target)
    (out / "README.md").write_text(
        "# Student edition\n\n"
        "The book's chapters without the solutions of their exercises. Run them with\n"
        "`jupyter lab book/` in an environment with the book's requirements installed.\n",
        encoding="utf-8")
    if html:
        subprocess.run([sys.executable, "-m", "jupyter_book", "build", str(out), "-W", "-n",
                        "--keep-going"], check=True)
    return out


# ---------------------------------------------------------------------------------------
# The grader
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRow:
    """One row of the grade table: one submission and one exercise."""

    submission: str
    exercise: str
    passed: bool
    message: str


def _network_isolation() -> list[str]:
    """The command prefix that runs a process without network, or ``[]`` where none works."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    probe = subprocess.run([unshare, "--net", "true"], capture_output=True)
    return [unshare, "--net", "--"] if probe.returncode == 0 else []


def _kernel_manager(workdir: str, isolation: Sequence[str]):
    """A kernel manager whose kernel runs in ``workdir``, offline where ``isolation`` allows.

    An offline kernel has no loopback network either, so it talks to the grader over Unix
    sockets (ZeroMQ's ``ipc`` transport) instead of TCP.
    """
    from jupyter_client.manager import AsyncKernelManager as KernelManager

    class OfflineKernelManager(KernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            return [*isolation, *super().format_kernel_cmd(extra_arguments)]

    if not isolation:
        return KernelManager(kernel_name="python3")
    return OfflineKernelManager(kernel_name="python3", transport="ipc",
                                ip=os.path.join(workdir, "kernel"))


_EXPORT = """\
import cloudpickle as _snnlib_cloudpickle
_snnlib_object = globals().get({name!r})
if _snnlib_object is None:
    print("missing")
elif not callable(_snnlib_object):
    print("not callable:", type(_snnlib_object).__name__)
else:
    with open({path!r}, "wb") as _snnlib_file:
        _snnlib_cloudpickle.dump(_snnlib_object, _snnlib_file)
    print("saved")
"""


def _first_line(source: str) -> str:
    line = next((s for s in source.splitlines() if s.strip()), "")
    return line if len(line) <= 50 else line[:47] + "…"


def _execute(notebook: nbformat.NotebookNode, workdir: str, functions: Sequence[str],
             timeout: float, isolation: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """Run the notebook's code cells, then save each named function to a pickle file.

    Returns the problems met (one sentence each) and, per function, the path of its pickle or
    the reason there is none. A cell that runs past ``timeout`` or kills the kernel is skipped
    in a fresh kernel, and the notebook runs again without it.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    skipped: dict[int, str] = {}
    while True:
        nb = copy.deepcopy(notebook)
        client = NotebookClient(nb, timeout=timeout, allow_errors=True,
                                km=_kernel_manager(workdir, isolation),
                                resources={"metadata": {"path": workdir}})
        problems, results, restart = [], {}, False
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code" or index in skipped:
                    continue
                where = f"cell {index + 1} ({_first_line(cell.source)})"
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    skipped[index] = f"{where} ran past the limit of {timeout:g} s; skipped"
                    restart = True
                    break
                except DeadKernelError:
                    skipped[index] = f"{where} stopped the kernel; skipped"
                    restart = True
                    break
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        value = str(output.get("evalue", ""))[:200]
                        problems.append(f"{where} raised {output.get('ename')}: {value}")
            if not restart:
                for name in functions:
                    path = os.path.join(workdir, f"{name}.pickle")
                    cell = nbformat.v4.new_code_cell(_EXPORT.format(name=name, path=path))
                    nb.cells.append(cell)
                    try:
                        client.execute_cell(cell, len(nb.cells) - 1)
                    except (CellTimeoutError, DeadKernelError) as error:
                        results[name] = f"could not be read from the kernel ({error})"
                        continue
                    said = "".join(o.get("text", "") for o in cell.outputs).strip()
                    errors = [o for o in cell.outputs if o.get("output_type") == "error"]
                    if said == "saved":
                        results[name] = path
                    elif said == "missing":
                        results[name] = f"the notebook defines no function {name}"
                    elif errors:
                        results[name] = (f"{name} could not be copied out of the kernel "
                                         f"({errors[0].get('ename')}: {errors[0].get('evalue')})")
                    else:
                        results[name] = f"{name} is not a function ({said})"
        if not restart:
            return list(skipped.values()) + problems, results


def _run_check(entry: Exercise, pickle_path: str, workdir: str, timeout: float,
               isolation: Sequence[str]) -> tuple[bool, str]:
    """Grade the pickled function with the shipped check, in a fresh process.

    The check may take ``max(timeout, CHECK_TIME)`` seconds.
    """
    timeout = max(timeout, CHECK_TIME)
    command = [*isolation, sys.executable, "-m", "snnlib.course", "_check", entry.label,
               pickle_path]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              cwd=workdir)
    except subprocess.TimeoutExpired:
        return False, f"the check ran past {timeout:g} s (does {entry.function} ever return?)"
    lines = done.stdout.strip().splitlines()
    try:
        verdict = json.loads(lines[-1])
        return bool(verdict["passed"]), str(verdict["message"])
    except (IndexError, ValueError, KeyError, TypeError):
        return False, f"the check could not run ({done.stderr.strip()[-300:]})"


def _check_pickled(label: str, pickle_path: str) -> None:
    """The ``_check`` subcommand: load the function after the library, run its check."""
    entry = exercise(label)  # the library (and the check) is imported before the function
    import cloudpickle

    try:
        with open(pickle_path, "rb") as handle:
            function = cloudpickle.load(handle)
        verdict = entry.check(function)
        result = {"passed": verdict.passed, "message": verdict.message}
    except Exception as error:  # the reader's function could not even be loaded
        result = {"passed": False, "message": f"could not load {entry.function}: "
                                              f"{type(error).__name__}: {error}"}
    print(json.dumps(result))


def _exercises_in(notebook: nbformat.NotebookNode) -> list[Exercise]:
    """The registered exercises a notebook holds: by label, or by the function it defines."""
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    by_label = [e for e in EXERCISES if re.search(rf":label:\s*{re.escape(e.label)}\s*$",
                                                  text, re.M)]
    return by_label or [e for e in EXERCISES
                        if re.search(rf"^def {re.escape(e.function)}\(", code, re.M)]


def _grade_one(path: str, timeout: float, isolation: Sequence[str]) -> list[GradeRow]:
    name = os.path.basename(path)
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # anything a corrupt file can raise
        reason = str(error).splitlines()[0][:200] if str(error) else ""
        return [GradeRow(name, "-", False,
                         f"not a readable notebook ({type(error).__name__}: {reason})")]
    entries = _exercises_in(notebook)
    if not entries:
        return [GradeRow(name, "-", False, "holds none of the book's exercises (no registered "
                                           "label or function)")]
    with tempfile.TemporaryDirectory(prefix="snnlib-grade-") as workdir:
        data = repository_root() / "book" / "data"
        if data.is_dir():
            os.symlink(data, os.path.join(workdir, "data"))
        problems, saved = _execute(notebook, workdir, [e.function for e in entries], timeout,
                                   isolation)
        rows = []
        for entry in entries:
            if os.path.isfile(saved[entry.function]):
                passed, message = _run_check(entry, saved[entry.function], workdir, timeout,
                                             isolation)
            else:
                passed, message = False, saved[entry.function]
            rows.append(GradeRow(name, entry.label, passed, "; ".join([*problems, message])))
    return rows


def grade(submissions: Iterable[str | os.PathLike], *, timeout: float = DEFAULT_TIMEOUT,
          workers: int | None = None) -> list[GradeRow]:
    """Grade notebooks: one :class:`GradeRow` per submission and exercise, in input order.

    Submissions run in parallel, ``workers`` at a time (default: one per core).

    Raises
    ------
    ValueError
        If ``timeout`` or ``workers`` is not positive.
    """
    paths = [os.fspath(p) for p in submissions]
    if not timeout > 0:
        raise ValueError(f"timeout must be positive seconds, got {timeout!r}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers!r}")
    isolation = _network_isolation()
    workers = min(workers or os.cpu_count() or 1, max(len(paths), 1))
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_grade_one, paths, [timeout] * len(paths),
                           [isolation] * len(paths))
        return [row for rows in results for row in rows]


def write_grades(rows: Sequence[GradeRow], path: str | os.PathLike) -> None:
    """Write the grade table as CSV: ``submission, exercise, passed, message``."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["submission", "exercise", "passed",
                                                    "message"])
        writer.writeheader()
        writer.writerows(asdict(row) for row in rows)


def _summary(rows: Sequence[GradeRow], seconds: float, offline: bool) -> str:
    names = list(dict.fromkeys(row.submission for row in rows))
    width = max([len("submission"), *map(len, names)])
    lines = [f"{'submission':<{width}}  passed", f"{'-' * width}  ------"]
    for name in names:
        mine = [row for row in rows if row.submission == name]
        lines.append(f"{name:<{width}}  {sum(r.passed for r in mine)}/{len(mine)}")
    lines.append(f"graded {len(names)} submission(s) in {seconds:.1f} s "
                 f"({seconds / max(len(names), 1):.1f} s each on average); network "
                 + ("off in the kernels" if offline else "NOT isolated (unshare --net failed)"))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """The command line (``python -m snnlib.course --help``)."""
    parser = argparse.ArgumentParser(prog="python -m snnlib.course", description=__doc__
                                     .split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True,
                                     metavar="{exercises,student,grade}")
    listing = commands.add_parser("exercises", help="list the book's Implement exercises")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    student = commands.add_parser("student", help="write the student edition")
    student.add_argument("outdir", help="a new folder")
    student.add_argument("--html", action="store_true", help="also build it as a web book")
    grading = commands.add_parser("grade", help="grade submitted notebooks")
    grading.add_argument("submissions", nargs="+", metavar="SUBMISSION.ipynb")
    grading.add_argument("--out", required=True, help="the CSV file to write")
    grading.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                         help=f"seconds allowed per cell (default {DEFAULT_TIMEOUT:g})")
    grading.add_argument("--workers", type=int, default=None,
                         help="submissions graded at once (default: one per core)")
    hidden = commands.add_parser("_check")  # internal: one check in a fresh process
    hidden.add_argument("label")
    hidden.add_argument("pickle")
    args = parser.parse_args(argv)

    if args.command == "exercises":
        print(json.dumps(exercise_records(), indent=2) if args.json else exercises_table())
    elif args.command == "student":
        out = student_edition(args.outdir, html=args.html)
        print(f"student edition written to {out}")
    elif args.command == "grade":
        start = time.perf_counter()
        rows = grade(args.submissions, timeout=args.timeout, workers=args.workers)
        write_grades(rows, args.out)
        print(_summary(rows, time.perf_counter() - start, bool(_network_isolation())))
        print(f"grades written to {args.out}")
    else:
        _check_pickled(args.label, args.pickle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
