"""Web push and the notices inbox: subscriptions, the outbox's notices, the sender worker.

kinds.py (what can be told), changes.py (what an outbox row tells), texts.py (its words),
fanout.py (outbox → inbox and pending pushes), sender.py and worker.py (the pushes),
reminders.py (the daily job's reminders), vapid.py (keys), views.py (the API).
"""
