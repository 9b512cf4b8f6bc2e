"""Benchmarks (not tests): scripts that print measured figures; see docs/benchmarks.md."""
