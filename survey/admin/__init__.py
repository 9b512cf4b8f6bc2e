"""Administration: staff accounts, their roles, and the audit log."""
