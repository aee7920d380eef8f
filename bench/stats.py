"""Summaries of timings that the benchmarks share."""

from __future__ import annotations

import statistics


def p50_p95(times: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile of at least two times."""
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]
