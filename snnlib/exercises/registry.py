"""The registry of the book's "Implement …" exercises: one entry per exercise.

The chapters, the student edition and the grader (:mod:`snnlib.course`) all read this one list:
which notebook holds the exercise, its label, the function the reader writes, and the check
that grades it. A unit test keeps it in step with the notebooks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from snnlib.exercises._core import Verdict
from snnlib.exercises.ch01 import check_bump_derivative
from snnlib.exercises.ch02 import check_order4_kernel
from snnlib.exercises.ch03 import check_find_zeros
from snnlib.exercises.ch04 import check_first_crossing
from snnlib.exercises.ch05 import check_backward_sweep
from snnlib.exercises.ch06 import check_sweep_step
from snnlib.exercises.ch07 import check_first_spike_loss
from snnlib.exercises.ch08 import check_integrate_and_fire
from snnlib.exercises.ch09 import check_min_events

__all__ = ["EXERCISES", "Exercise", "exercise"]


@dataclass(frozen=True)
class Exercise:
    """One "Implement …" exercise of the book.

    Attributes
    ----------
    chapter
        The chapter's number.
    notebook
        The chapter's notebook, relative to the repository's root.
    label
        The exercise's label in the notebook (``:label:`` of its ``{exercise}`` directive).
    title
        The exercise's title, as the book prints it.
    function
        The name of the function the reader writes.
    check
        The check that grades it: ``check(function) -> Verdict``.

    Examples
    --------
    >>> exercise("ex-implement-order4").function
    'my_order4'
    """

    chapter: int
    notebook: str
    label: str
    title: str
    function: str
    check: Callable[[Callable], Verdict]

    @property
    def check_name(self) -> str:
        """The check's name in :mod:`snnlib.exercises`."""
        return self.check.__name__


#: Every "Implement …" exercise of the book, in the order of the chapters.
EXERCISES: tuple[Exercise, ...] = (
    Exercise(1, "book/ch01_distributions.ipynb", "ex-implement-bump-derivatives",
             "Implement the bump's derivatives",
             "bump_derivative", check_bump_derivative),
    Exercise(2, "book/ch02_triangle.ipynb", "ex-implement-order4",
             "Implement an order-4 kernel",
             "my_order4", check_order4_kernel),
    Exercise(3, "book/ch03_composition.ipynb", "ex-implement-zeros",
             "Implement spike detection on a trace",
             "zeros", check_find_zeros),
    Exercise(4, "book/ch04_spiking_dynamics.ipynb", "ex-implement-first-crossing",
             "Implement the first threshold crossing",
             "first_crossing", check_first_crossing),
    Exercise(5, "book/ch05_adjoint.ipynb", "ex-implement-sweep",
             "Implement the discrete backward sweep",
             "backward_sweep", check_backward_sweep),
    Exercise(6, "book/ch06_eventprop.ipynb", "ex-implement-sweep-step",
             "Implement one step of the recurrent backward sweep",
             "sweep", check_sweep_step),
    Exercise(7, "book/ch07_learning.ipynb", "ex-implement-loss",
             "Implement the first-spike loss with silent neurons",
             "first_spike_loss", check_first_spike_loss),
    Exercise(8, "book/ch08_if_sampling.ipynb", "ex-implement-if",
             "Implement integrate-and-fire with reset to mod",
             "my_if", check_integrate_and_fire),
    Exercise(9, "book/ch09_send_on_delta.ipynb", "ex-implement-fewest-events",
             "Implement the fewest-events reconstruction",
             "min_events", check_min_events),
)


def exercise(label: str) -> Exercise:
    """The registered exercise with this label.

    Raises
    ------
    KeyError
        If no exercise has that label (the message lists the labels there are).
    """
    for entry in EXERCISES:
        if entry.label == label:
            return entry
    raise KeyError(f"no exercise labelled {label!r}; the labels are "
                   + ", ".join(e.label for e in EXERCISES))
