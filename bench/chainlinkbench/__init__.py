"""The Chainlink benchmark, run by bench/run (see bench/README.md).

Stdlib only; the upstream chainlink baseline runs in a python3 of its own (upstream_driver.py),
which needs the Docker SDK for Python.
"""
