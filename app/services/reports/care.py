"""Placeholder until its builder lands."""

KINDS: tuple = ()
