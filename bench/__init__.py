"""Benchmarks: run as scripts, they report ratios against references measured in the same run."""
