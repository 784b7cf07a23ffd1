"""Dialogs, each with a classmethod ask() that tests can replace."""
