"""AI writing assistant and resume optimizer."""
