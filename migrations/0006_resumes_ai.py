"""Resume list and AI usage indexes: every query starts with user_id."""

from pymongo import ASCENDING


def up(db):
    db.resumes.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    db.resumes.create_index([("user_id", ASCENDING), ("updated_at", ASCENDING)], name="user_updated")
    db.resumes.create_index([("user_id", ASCENDING), ("title", ASCENDING)], name="user_title")
    db.ai_usage.create_index([("user_id", ASCENDING), ("created_at", ASCENDING)], name="user_created")
    db.ai_usage.create_index(
        [("user_id", ASCENDING), ("task", ASCENDING), ("created_at", ASCENDING)], name="user_task_created"
    )
