"""Background jobs and e-mail: the message log is listed per invoice (user_id, invoice_id,
created_at); the scheduler reads a task's latest claimed period (task, period_start).
``job_runs`` is read by ``_id`` only."""

from pymongo import ASCENDING

INDEXES = {
    "messages": ("user_id", "invoice_id", "created_at"),
    "schedule_runs": ("task", "period_start"),
}


def up(db):
    for name, keys in INDEXES.items():
        wanted = [(key, ASCENDING) for key in keys]
        if wanted not in [list(index["key"].items()) for index in db[name].list_indexes()]:
            db[name].create_index(wanted, name="_".join(keys))
