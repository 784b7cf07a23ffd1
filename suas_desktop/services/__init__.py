"""Use cases: one function or method per user action, each its own transaction. Qt-free."""
