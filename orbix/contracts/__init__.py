"""Contracts.

Owns contracts, contract templates, the signing audit trail, and the uses of signing links
(the links themselves are ``public_links`` of kind ``contract``; ``contract_tokens`` held the
links issued before migration 0018 moved them there)."""

CONTRACTS = "contracts"
CONTRACT_TEMPLATES = "contract_templates"
CONTRACT_TOKEN_USES = "contract_token_uses"
CONTRACT_EVENTS = "contract_events"
