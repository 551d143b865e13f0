"""Helpers that tests, benchmarks and tools share: a real server on a loopback port, and
Debian's Chromium driven by Playwright as a facilitator, a projector and phones.

Nothing of the app imports this package; Playwright comes with the test extra.
"""
