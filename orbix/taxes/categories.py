"""Tax categories (UNTDID 5305, as EN 16931 / Factur-X / UBL use them) and the rules of each:
what an e-invoice needs of a tax later is checked when it is written now."""

STANDARD, ZERO, EXEMPT, REVERSE_CHARGE, INTRA_COMMUNITY, EXPORT, OUTSIDE_SCOPE = "S", "Z", "E", "AE", "K", "G", "O"
CATEGORIES = {
    STANDARD: "Standard rate",
    ZERO: "Zero rated",
    EXEMPT: "Exempt",
    REVERSE_CHARGE: "Reverse charge",
    INTRA_COMMUNITY: "Intra-community supply",
    EXPORT: "Export outside the EU",
    OUTSIDE_SCOPE: "Outside the scope of tax",
}
# EN 16931 BR-E/AE/IC/G/O-10: these need an exemption reason; BR-S/Z-10: those must not have one.
NEEDS_REASON = frozenset({EXEMPT, REVERSE_CHARGE, INTRA_COMMUNITY, EXPORT, OUTSIDE_SCOPE})


def problems(category, percent, reason):
    """{field: message} of what is wrong with a tax of ``category`` at ``percent`` (Decimal) with
    exemption ``reason``: standard taxes are above 0 %, every other category is 0 %, and only the
    exempting categories (E, AE, K, G, O) carry a reason, which they must."""
    found = {}
    if category == STANDARD and percent is not None and percent <= 0:
        found["percent"] = "A standard-rate (S) tax is above 0 %; use category Z for a zero rate."
    if category != STANDARD and percent is not None and percent != 0:
        found["percent"] = f"A {CATEGORIES[category].lower()} ({category}) tax has a 0 % rate."
    if category in NEEDS_REASON and not reason:
        found["exemption_reason"] = f"Required for category {category} (say why no tax is charged)."
    if category not in NEEDS_REASON and reason:
        found["exemption_reason"] = f"Only for categories {', '.join(sorted(NEEDS_REASON))}, not {category}."
    return found
