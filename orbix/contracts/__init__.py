"""Contracts.

Owns contracts, contract templates and the signing-link tokens and their uses."""

CONTRACTS = "contracts"
CONTRACT_TEMPLATES = "contract_templates"
CONTRACT_TOKENS = "contract_tokens"
CONTRACT_TOKEN_USES = "contract_token_uses"
