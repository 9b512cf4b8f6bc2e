"""E-mail to participants: invitations and reminders in each participant's language, their
templates, the send log that keeps anything from going twice, reminder schedules and opt-out.

Modules: addresses (checking an address), content (templates and rendering), recipients (who
gets a message and who is skipped, and why), sending (batches: record, hand over, mark),
pacing and lock (the rate limit and the one batch at a time), smtp (the server), schedule
(reminder rounds), optout, status (what the console shows), routes and forms (the console).
"""
