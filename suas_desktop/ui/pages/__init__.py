"""Screens of the sidebar: one module per screen."""
