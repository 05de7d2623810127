"""The table (printed on stdout and kept in the JSON), built from floors.TABLE and the results."""
from .floors import TABLE

COLUMNS = ["#", "measured", "figure", "baseline", "ratio", "floor", "goal", "holds", "goal met"]


def fill(template, result):
    try:
        return template.format(**result)
    except (KeyError, TypeError, ValueError, IndexError):
        return "not measured"


def verdict(limits, figures):
    """(True/False/None, notes): every limit met; None when the row has no limits. A figure that
    was not measured does not hold, unless its limit says the run may leave it out."""
    if not limits:
        return None, []
    judged = [(limit, limit.judge(figures)) for limit in limits]
    notes = [limit.unmeasured or "%s not measured" % limit.figure for limit, ok in judged if ok is None]
    return all(ok or (ok is None and limit.unmeasured) for limit, ok in judged), notes


def table_rows(results):
    """One dict per row of TABLE whose scenario has a result."""
    rows = []
    for row in TABLE:
        r = results.get(row.id)
        if r is None:
            continue
        figures = r.get("figures", {})
        holds, floor_notes = verdict(row.floor, figures)
        goal_met, _ = verdict(row.goal, figures)
        rows.append({
            "id": row.id, "measured": fill(row.measures, r), "figure": fill(row.figure, r),
            "baseline": fill(row.baseline, r), "ratio": fill(row.ratio, r),
            "floor": "; ".join(limit.describe() for limit in row.floor) or "-",
            "goal": "; ".join(limit.describe() for limit in row.goal) or "-",
            "holds": holds, "goal_met": goal_met, "notes": floor_notes,
        })
    return rows


def _yes_no(value, notes=()):
    text = "-" if value is None else ("yes" if value else "NO")
    return text + (" (%s)" % "; ".join(notes) if notes else "")


def print_table(rows):
    cells = [COLUMNS] + [[r["id"], r["measured"], r["figure"], r["baseline"], r["ratio"], r["floor"], r["goal"],
                          _yes_no(r["holds"], r["notes"]), _yes_no(r["goal_met"])] for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |" for line in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("\n".join(lines))
