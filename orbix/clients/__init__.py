"""Clients: the people and companies the freelancer bills."""
