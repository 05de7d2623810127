"""How much of each scenario a run does: full, or --quick for trying a change (under 3 minutes on
2 cores). README, "Method", shows the same table."""

PLAN = {
    "full": {
        "P1": {"rounds": 40, "warmup": 5, "offline": True},
        "P2": {"rounds": 20, "warmup": 3},
        "P3": {"jobs_per_block": 200, "blocks": 2, "warmup_jobs": 20, "workers": 4, "docker_loops": 4},
        "P4": {"seconds": 10, "warmup_seconds": 15, "rounds": 3},
        "P4b": {"workers": 2, "prefill": 300, "low": 50},
        "P5": {"stored_jobs": 100000},
        "P6": {"mb_per_stream": 500},
        "P7": {"waiters": 300, "followers": 50, "read_jobs": 20, "seconds": 10, "warmup_seconds": 5, "rounds": 3},
        "P8": {"jobs": 200, "claims": 20, "workers": 2},
    },
    "quick": {
        "P1": {"rounds": 8, "warmup": 1, "offline": True},
        # P1 has warmed the same service and engine
        "P2": {"rounds": 3, "warmup": 0},
        "P3": {"jobs_per_block": 40, "blocks": 1, "warmup_jobs": 2, "workers": 4, "docker_loops": 4},
        "P4": {"seconds": 3, "warmup_seconds": 2, "rounds": 1},
        "P4b": {"workers": 2, "prefill": 300, "low": 50},
        "P5": {"stored_jobs": 10000},
        "P6": {"mb_per_stream": 100},
        "P7": {"waiters": 300, "followers": 50, "read_jobs": 10, "seconds": 3, "warmup_seconds": 2, "rounds": 1},
        "P8": {"jobs": 60, "claims": 8, "workers": 2},
    },
}
SCENARIOS = list(PLAN["full"])
# A scenario whose figures are ratios to another's brings that one with it.
NEEDS = {"P4b": "P4", "P5": "P4"}


def scenarios(only):
    named = {s.upper(): s for s in SCENARIOS}
    asked = [s.strip() for s in only.split(",") if s.strip()]
    unknown = [s for s in asked if s.upper() not in named]
    if unknown:
        raise SystemExit("unknown scenarios: %s (there are %s)" % (", ".join(unknown), ", ".join(SCENARIOS)))
    chosen = {named[s.upper()] for s in asked}
    chosen |= {NEEDS[s] for s in chosen if s in NEEDS}
    return [s for s in SCENARIOS if s in chosen]
