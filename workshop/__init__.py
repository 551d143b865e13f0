"""Tandem: live, anonymous group workshops on codependency and interdependency."""
