"""Time tracking."""
