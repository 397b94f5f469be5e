"""Reminders that reach people: each morning's digest of what is due (in the app, and by e-mail when the
office has configured a mail server), and each person's calendar feed of sessions and deadlines."""
