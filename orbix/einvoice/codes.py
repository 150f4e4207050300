"""Code lists the e-invoice fields are checked against (EN 16931 uses these lists)."""

# ISO 3166-1 alpha-2 (officially assigned codes).
_COUNTRY_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY
    BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK
    FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR
    IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
    ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRIES = frozenset(_COUNTRY_CODES.split())

# UN/ECE Recommendation 20 units a freelancer bills in (a subset: the full list has ~2,000).
UNITS = {
    "HUR": "hour",
    "MIN": "minute",
    "DAY": "day",
    "WEE": "week",
    "MON": "month",
    "ANN": "year",
    "C62": "piece (one)",
    "H87": "piece",
    "EA": "each",
    "E48": "service unit",
    "LS": "lump sum",
    "SET": "set",
    "PR": "pair",
    "KGM": "kilogram",
    "GRM": "gram",
    "TNE": "tonne",
    "MTR": "metre",
    "KMT": "kilometre",
    "MTK": "square metre",
    "MTQ": "cubic metre",
    "LTR": "litre",
    "KWH": "kilowatt hour",
    "4L": "megabyte",
    "E34": "gigabyte",
    "P1": "percent",
}
HOURS = "HUR"  # time lines
PIECES = "C62"  # everything else

# UNTDID 5305 VAT categories used by EN 16931 (L and M, Canary Islands and Ceuta/Melilla, left out).
STANDARD = "S"
TAX_CATEGORIES = {
    "S": "Standard rate",
    "Z": "Zero rated goods",
    "E": "Exempt from tax",
    "AE": "VAT reverse charge",
    "K": "Intra-community supply (VAT exempt, EEA)",
    "G": "Export outside the EU (free export item)",
    "O": "Services outside the scope of tax",
}
# Categories that need an exemption reason (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10), with the
# VATEX code and text used when the invoice gives none (E has no default: its legal ground varies).
EXEMPTIONS = {
    "AE": ("VATEX-EU-AE", "Reverse charge"),
    "K": ("VATEX-EU-IC", "Intra-Community supply"),
    "G": ("VATEX-EU-G", "Export outside the EU"),
    "O": ("VATEX-EU-O", "Not subject to VAT"),
}
EXEMPT_CATEGORIES = frozenset({"E", *EXEMPTIONS})
# Kleinunternehmer (small business, § 19 UStG): the legal text the German law asks for.
SMALL_BUSINESS_REASON = "Kein Ausweis von Umsatzsteuer, da Kleinunternehmer gemäß § 19 UStG"

# UNTDID 1001 document types and 4461 payment means; 5189 allowance reason "Discount".
INVOICE = "380"
CREDIT_NOTE = "381"
SEPA_CREDIT_TRANSFER = "58"
CREDIT_TRANSFER = "30"
DISCOUNT_REASON_CODE = "95"
EMAIL_SCHEME = "EM"  # EAS scheme of an e-mail address as electronic address
