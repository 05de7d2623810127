"""Running the service and its baselines in turn, so that drift in the machine (page cache, the
engine's state, another process) hits every side alike rather than whichever ran last."""


def interleave(sides, rounds, warmup=0, alternate=False):
    """sides: (name, run) pairs, each run() returning one sample. Runs every side once per round,
    `warmup + rounds` rounds, and returns {name: [samples of the measured rounds]} (the warm-up
    rounds are discarded). alternate: every other round goes in reverse order (A B C, C B A, …),
    for sides that each leave something behind for the next (a loaded cache, a busy engine)."""
    samples = {name: [] for name, _ in sides}
    for i in range(warmup + rounds):
        order = sides[::-1] if alternate and i % 2 else sides
        for name, run in order:
            sample = run()
            if i >= warmup:
                samples[name].append(sample)
    return samples
