"""Expenses: what the freelancer spent, optionally billed on to a client with a markup.

Owns ``expenses``, their invoice claims (``expense_claims``), the user-editable categories
(``expense_categories``) and the record of which users got the default categories
(``expense_category_defaults``). Invoicing claims and releases expenses through
``expenses.claims``; reports read totals through ``expenses.totals``."""

EXPENSES = "expenses"
EXPENSE_CLAIMS = "expense_claims"
EXPENSE_CATEGORIES = "expense_categories"
EXPENSE_CATEGORY_DEFAULTS = "expense_category_defaults"
