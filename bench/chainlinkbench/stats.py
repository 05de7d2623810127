"""The few statistics the figures use: nearest-rank percentiles, medians, ratios."""
import math
import statistics


def pct(values, p):
    """Nearest-rank percentile. With fewer than 100 samples, p99 is the maximum."""
    if not values:
        return None
    s = sorted(values)
    k = max(1, math.ceil(p / 100.0 * len(s)))
    return s[k - 1]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summary(values):
    return {
        "n": len(values),
        "median": median(values),
        "p99": pct(values, 99),
        "p99_is_max": len(values) < 100,
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "mean": statistics.fmean(values) if values else None,
    }


def ratio(a, b):
    """a / b, or None when either side was not measured."""
    return a / b if a is not None and b else None


def medians_by_key(dicts):
    """One median per key over dicts that may each lack some keys (a key no dict has is left out)."""
    keys = []
    for d in dicts:
        keys += [k for k in d if k not in keys]
    return {k: median([d.get(k) for d in dicts]) for k in keys}
