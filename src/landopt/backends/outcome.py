"""What a solve returns, whatever the backend: primal and dual values in landopt's row and column order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from landopt.model.standard_form import StandardForm

#: What an infeasible outcome means (Chinese, English), and the advice it ends with; ``landopt solve``, which runs
#: the diagnosis itself, says the first without the second
INFEASIBLE = ("各项约束无法同时满足：输入中的某些目标、底线或上限相互冲突（例如底线大于可用土地）。",
              "No plan can meet all requirements at once: some targets, floors or limits in the input conflict "
              "(for example a floor larger than the land that can reach it).")
DIAGNOSE_HINT = ("运行 `landopt diagnose` 查看冲突的约束及最小放宽量。",
                 "Run `landopt diagnose` to find which requirements conflict and by how much.")
#: Why there is no optimal plan, in planners' words (Chinese first).
MESSAGES = {
    "optimal": "找到最优方案。An optimal plan was found.",
    "infeasible": f"{INFEASIBLE[0]}{DIAGNOSE_HINT[0]} {INFEASIBLE[1]} {DIAGNOSE_HINT[1]}",
    "unbounded": ("净碳汇可无限增大：某类用地或牲畜未受面积平衡约束。请检查 land_uses 和 transitions 表。 "
                  "The net carbon sink can grow without limit: some land use or livestock is not tied to the area "
                  "balance. Check the land_uses and transitions sheets."),
    "time_limit": ("求解器在时间上限（settings.time_limit_s）内未能证明方案最优。 "
                   "The solver stopped at the time limit (settings.time_limit_s) before proving a plan optimal."),
    "error": "求解器出错：{detail}。 The solver failed: {detail}.",
}


@dataclass
class SolveOutcome:
    status: str  # optimal | infeasible | unbounded | time_limit | error
    message: str  # in planners' words
    objective: float | None
    x: np.ndarray
    row_activity: np.ndarray
    dual: np.ndarray  # d(objective)/d(rhs), per unit of the row's rhs
    reduced_cost: np.ndarray  # d(objective)/d(variable), per unit
    solver: str
    method: str
    compile_seconds: float
    solve_seconds: float
    iterations: int = 0  # HiGHS's simplex iteration count
    backend: str = "highs"  # 'highs' or 'pyomo'
    highs: Any = field(default=None, repr=False)
    form: StandardForm | None = field(default=None, repr=False)
    extra_rows: Any = field(default=None, repr=False)  # constraints a user added to a Pyomo model: name, activity, dual
    objective_replaced: bool = False  # the Pyomo model's objective is not landopt's net sink (a user replaced it)
    # the second stage (landopt.backends.least_change): least_change | none | skipped | failed; "" = not run
    tie_break: str = ""
    tie_break_seconds: float = 0.0
    #: the optimal basis HiGHS ended on (a ``highspy.HighsBasis``; None: none): the second stage starts from it
    basis: Any = field(default=None, repr=False)

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def failed(status: str, detail: str, n: int, m: int, **kw: Any) -> SolveOutcome:
    """An outcome without a solution (zeros in every array)."""
    msg = MESSAGES.get(status, MESSAGES["error"]).format(detail=detail)
    return SolveOutcome(status=status, message=msg, objective=None, x=np.zeros(n), row_activity=np.zeros(m),
                        dual=np.zeros(m), reduced_cost=np.zeros(n), **kw)
