"""The course tools: the registry matches the chapters, the student edition has no solutions and
runs, and the grader gives the right rows for crafted submissions."""

import csv
import json
import re
import socket
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from snnlib import course
from snnlib.exercises.registry import EXERCISES, exercise

ROOT = Path(__file__).resolve().parents[1]
IMPLEMENT = re.compile(r"```\{exercise\}\s*(Implement[^\n]*)\n:label:\s*(\S+)")


def chapter_exercises():
    found = {}
    for path in sorted((ROOT / "book").glob("ch*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        for index, cell in enumerate(cells):
            for title, label in IMPLEMENT.findall(cell.source):
                found[label] = (path.relative_to(ROOT).as_posix(), title.strip(), cells, index)
    return found


def test_registry_matches_the_chapters():
    found = chapter_exercises()
    assert sorted(found) == sorted(e.label for e in EXERCISES)
    for entry in EXERCISES:
        notebook, title, cells, index = found[entry.label]
        assert (entry.notebook, entry.title) == (notebook, title)
        stub = next(c.source for c in cells[index + 1:] if c.cell_type == "code")
        assert re.search(rf"^def {entry.function}\(", stub, re.M), entry.label
        assert "NotImplementedError" in stub
        assert f"{entry.check_name}({entry.function})" in stub


def test_every_chapter_has_an_implement_exercise_and_labels_are_unique():
    chapters = {e.chapter for e in EXERCISES}
    assert chapters == set(range(1, 10))
    labels = [e.label for e in EXERCISES]
    assert len(labels) == len(set(labels))


def test_exercise_lookup_names_the_labels():
    with pytest.raises(KeyError, match="ex-implement-order4"):
        exercise("ex-nothing")


def test_command_lists_exercises_as_json(capsys):
    assert course.main(["exercises", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["label"] for r in records] == [e.label for e in EXERCISES]
    assert all(r["check"].startswith("snnlib.exercises.check_") for r in records)


def test_strip_handles_inline_and_gated_solutions():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("A.\n\n```{solution} ex-a\n:class: dropdown\n\nSecret.\n```\n"
                                      "\nB.\n\n```{solution-start} ex-b\n```\nSecret too."),
        nbformat.v4.new_code_cell("secret = 1", execution_count=3),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```\n\nC."),
        nbformat.v4.new_code_cell("print(2)", execution_count=4,
                                  outputs=[nbformat.v4.new_output("stream", text="2\n")]),
    ])
    stripped = course.strip_solutions(nb)
    assert [c.source for c in stripped.cells] == ["A.\n\nB.", "C.", "print(2)"]
    assert stripped.cells[2].outputs == [] and stripped.cells[2].execution_count is None
    assert len(nb.cells) == 4  # the input is not changed


def test_strip_rejects_an_unclosed_gate():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "```{solution-start} ex\n```\nSecret.")])
    with pytest.raises(ValueError, match="never closed"):
        course.strip_solutions(nb)


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    return course.student_edition(tmp_path_factory.mktemp("edition") / "student")


def solution_code(cells):
    """The source of every code cell between a solution-start and its solution-end."""
    inside, out = False, []
    for cell in cells:
        if cell.cell_type == "markdown":
            if "{solution-start}" in cell.source:
                inside = True
            if "{solution-end}" in cell.source:
                inside = False
        elif inside:
            out.append(cell.source)
    return out


def test_student_edition_has_no_solutions(student):
    for entry in EXERCISES:
        original = nbformat.read(ROOT / entry.notebook, as_version=4)
        stripped = nbformat.read(student / entry.notebook, as_version=4)
        text = "\n".join(c.source for c in stripped.cells)
        assert "{solution" not in text, entry.notebook
        secrets = solution_code(original.cells)
        assert secrets, f"{entry.notebook} has no solution code to remove"
        assert not set(secrets) & {c.source for c in stripped.cells}
        assert all(not c.get("outputs") for c in stripped.cells if c.cell_type == "code")
        assert "widgets" not in stripped.metadata
    assert (student / "book" / "data").is_dir()
    assert (student / "_toc.yml").is_file()


@pytest.mark.parametrize("chapter", [1, 8])
def test_student_chapter_runs_and_stub_says_not_yet(student, chapter):
    entry = next(e for e in EXERCISES if e.chapter == chapter)
    path = student / entry.notebook
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.outputs)
    assert "not implemented yet" in printed


def test_student_edition_refuses_an_existing_folder(tmp_path):
    with pytest.raises(FileExistsError, match="outdir"):
        course.student_edition(tmp_path)


# --------------------------------------------------------------------------- the grader

IF = exercise("ex-implement-if")


def submission(tmp_path, name, *code):
    cells = [nbformat.v4.new_markdown_cell(f"```{{exercise}} {IF.title}\n"
                                           f":label: {IF.label}\n```")]
    cells += [nbformat.v4.new_code_cell(source) for source in code]
    path = tmp_path / name
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


IF_LOOP = """\
import numpy as np

def my_if(x, threshold, dt, leak):
    decay = np.exp(-leak * dt)
    u, spikes = 0.0, np.zeros(len(x))
    for n, charge in enumerate(np.asarray(x, dtype=float) * dt):
        u = decay * u + charge
        if abs(u) >= threshold:
            spikes[n] = threshold * np.trunc(u / threshold)
            u {reset}
    return spikes
"""
CORRECT = IF_LOOP.format(reset="-= spikes[n]")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("submissions")
    paths = [
        submission(tmp, "correct.ipynb", CORRECT),
        submission(tmp, "wrong.ipynb", IF_LOOP.format(reset="= 0.0")),
        submission(tmp, "raising.ipynb", "1 / 0", CORRECT),
        submission(tmp, "hanging.ipynb", CORRECT, "while True:\n    pass"),
        submission(tmp, "missing.ipynb", "x = 1"),
        submission(tmp, "patching.ipynb",
                   "import numpy as np\nimport snnlib.exercises as ex\n"
                   "from snnlib.exercises import Verdict\n"
                   "ex.check_integrate_and_fire = lambda f: Verdict('my_if', True, 'fine')\n"
                   "np.allclose = lambda *a, **k: True\n"
                   "def check_integrate_and_fire(f):\n    return Verdict('my_if', True, 'fine')\n"
                   "def my_if(x, threshold, dt, leak):\n    return np.zeros(len(x))"),
    ]
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    paths.append(submission(tmp, "network.ipynb", CORRECT,
                            f"import socket\nsocket.create_connection(('127.0.0.1', {port}), 5)"))
    corrupt = tmp / "corrupt.ipynb"
    corrupt.write_text("{ this is not json", encoding="utf-8")
    paths.append(corrupt)
    rows = course.grade(paths, timeout=8, workers=2)
    listener.close()
    out = tmp / "grades.csv"
    course.write_grades(rows, out)
    with open(out, newline="", encoding="utf-8") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def test_grader_passes_a_correct_submission(graded):
    assert graded["correct.ipynb"]["passed"] == "True"
    assert graded["correct.ipynb"]["exercise"] == IF.label


def test_grader_fails_a_wrong_one_with_the_checks_message(graded):
    row = graded["wrong.ipynb"]
    assert row["passed"] == "False" and "reset to zero" in row["message"]


def test_grader_reports_a_raising_cell_and_goes_on(graded):
    row = graded["raising.ipynb"]
    assert row["passed"] == "True"
    assert "cell 2 (1 / 0) raised ZeroDivisionError" in row["message"]


def test_grader_skips_a_hanging_cell(graded):
    row = graded["hanging.ipynb"]
    assert "cell 3 (while True:) ran past the limit of 8 s" in row["message"]
    assert row["passed"] == "True"


def test_grader_reports_a_missing_function(graded):
    row = graded["missing.ipynb"]
    assert row["passed"] == "False" and "defines no function my_if" in row["message"]


def test_grader_uses_the_shipped_check(graded):
    row = graded["patching.ipynb"]
    assert row["passed"] == "False" and "fine" not in row["message"]


def test_grader_reports_a_corrupt_file(graded):
    row = graded["corrupt.ipynb"]
    assert row["passed"] == "False" and "not a readable notebook" in row["message"]


def test_grader_kernels_are_offline_where_the_system_allows(graded):
    row = graded["network.ipynb"]
    assert row["passed"] == "True"
    if course._network_isolation():  # root on Linux: the kernel has a network of its own
        assert "cell 3 (import socket) raised OSError" in row["message"]
    else:
        assert "raised" not in row["message"]


def test_grader_rejects_bad_arguments():
    with pytest.raises(ValueError, match="timeout"):
        course.grade([], timeout=0)
    with pytest.raises(ValueError, match="workers"):
        course.grade([], workers=0)
