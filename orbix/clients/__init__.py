"""Clients: the people and companies the freelancer bills.

Owns the ``clients`` collection: other packages read clients through ``clients.service``."""

CLIENTS = "clients"
