"""The five built-in contract templates, written for Orbix.

Bodies use plain ``{{ name }}`` placeholders (see ``rendering``): no logic runs in a
template, so optional variables carry a readable default instead of conditionals.
Party A is always the account holder (from the business profile), party B the client.
"""

from .rendering import TemplateSpec, Variable

PARTY_VARIABLES = (
    Variable("party_a_name", "Party A (your business) name"),
    Variable("party_a_representative", "Party A signatory", required=False, default="an authorised representative"),
    Variable("party_a_address", "Party A address", type="longtext", required=False, default="address not stated"),
    Variable("party_a_email", "Party A email", type="email", required=False, default="not stated"),
    Variable("party_b_name", "Party B (client) name"),
    Variable("party_b_representative", "Party B signatory", required=False, default="an authorised representative"),
    Variable("party_b_address", "Party B address", type="longtext", required=False, default="address not stated"),
    Variable("party_b_email", "Party B email", type="email", required=False, default="not stated"),
    Variable("effective_date", "Effective date", type="date"),
)
GOVERNING_LAW = Variable(
    "governing_law", "Governing law", required=False,
    default="the laws of the place where Party A has its principal place of business",
)

PARTIES_BLOCK = """PARTIES

Party A: {{ party_a_name }}, represented by {{ party_a_representative }}
Address: {{ party_a_address }}
Email: {{ party_a_email }}

Party B: {{ party_b_name }}, represented by {{ party_b_representative }}
Address: {{ party_b_address }}
Email: {{ party_b_email }}

Effective date: {{ effective_date }}"""

SIGNATURE_BLOCK = """SIGNATURES

Signed for and on behalf of {{ party_a_name }} (Party A)

Signature: ______________________________
Name: {{ party_a_representative }}
Date: ______________________________


Signed for and on behalf of {{ party_b_name }} (Party B)

Signature: ______________________________
Name: {{ party_b_representative }}
Date: ______________________________"""


def _document(title, intro, sections):
    """Title, parties, numbered sections and signature blocks as one template body."""
    numbered = "\n\n".join(f"{number}. {heading}\n\n{text}" for number, (heading, text) in enumerate(sections, 1))
    return f"{title.upper()}\n\n{PARTIES_BLOCK}\n\n{intro}\n\n{numbered}\n\n{SIGNATURE_BLOCK}\n"


COMMON_CLOSING = (
    ("Entire Agreement",
     "This Agreement is the entire agreement between the parties on its subject and replaces all earlier "
     "discussions. It may be changed only in writing signed by both parties."),
    ("Governing Law",
     "This Agreement is governed by {{ governing_law }}. If any provision is held unenforceable, the rest "
     "of this Agreement remains in force."),
)

FREELANCE = TemplateSpec(
    key="freelance_services",
    title="Freelance Services Agreement",
    description="A fixed-scope engagement of an independent freelancer (Party A) by a client (Party B).",
    variables=(
        *PARTY_VARIABLES,
        Variable("scope", "Scope of services", type="longtext"),
        Variable("fee", "Fee", type="money"),
        Variable("start_date", "Start date", type="date"),
        Variable("end_date", "End date", type="date", required=False, default="the completion of the Services"),
        Variable("payment_terms", "Payment terms", required=False,
                 default="Invoices are payable within thirty (30) days of receipt"),
        GOVERNING_LAW,
    ),
    body=_document(
        "Freelance Services Agreement",
        "Party A is an independent freelancer. Party B wishes to engage Party A to perform the services "
        "described below, on the following terms.",
        (
            ("Services", "Party A will perform the following services (the \"Services\"):\n\n{{ scope }}"),
            ("Term", "The Services start on {{ start_date }} and continue until {{ end_date }}, unless this "
             "Agreement is terminated earlier under section 8."),
            ("Fees and Payment", "Party B will pay Party A a fee of {{ fee }} for the Services. "
             "{{ payment_terms }}. Late amounts may carry reasonable interest as permitted by law."),
            ("Expenses", "Party A bears its own expenses unless Party B approves an expense in writing "
             "beforehand, in which case Party B reimburses it at cost."),
            ("Intellectual Property", "On full payment, Party A assigns to Party B the rights in the work "
             "product created specifically for Party B. Party A keeps its pre-existing tools, know-how and "
             "general skills, and may show the work in its portfolio unless Party B objects in writing."),
            ("Confidentiality", "Each party keeps the other's non-public information confidential and uses "
             "it only to perform this Agreement."),
            ("Independent Contractor", "Party A is an independent contractor, not an employee, and is "
             "responsible for its own taxes, insurance and working methods."),
            ("Termination", "Either party may end this Agreement with fourteen (14) days' written notice. "
             "Party B pays for Services performed up to the end date of the notice."),
            ("Limitation of Liability", "Neither party is liable for indirect or consequential loss. Party A's "
             "total liability is limited to the fees paid under this Agreement."),
            *COMMON_CLOSING,
        ),
    ),
)

EMPLOYMENT = TemplateSpec(
    key="employment",
    title="Employment Agreement",
    description="Employment of an individual (Party B) by your business (Party A).",
    variables=(
        *PARTY_VARIABLES,
        Variable("job_title", "Job title"),
        Variable("start_date", "Start date", type="date"),
        Variable("salary", "Annual gross salary", type="money"),
        Variable("pay_frequency", "Pay frequency", required=False, default="monthly"),
        Variable("work_location", "Place of work", required=False, default="Party A's premises or remotely as agreed"),
        Variable("working_hours", "Working hours", required=False, default="forty (40) hours per week"),
        Variable(
            "duties",
            "Duties",
            type="longtext",
            required=False,
            default="the duties usually associated with the position, and other reasonable duties Party A assigns",
        ),
        Variable("probation_period", "Probation period", required=False, default="three (3) months"),
        Variable("notice_period", "Notice period", required=False, default="thirty (30) days"),
        GOVERNING_LAW,
    ),
    body=_document(
        "Employment Agreement",
        "Party A employs Party B, and Party B accepts employment, on the following terms.",
        (
            ("Position", "Party B is employed as {{ job_title }} and will perform {{ duties }}."),
            (
                "Start Date and Probation",
                "Employment starts on {{ start_date }}. The first {{ probation_period }} "
                "are a probation period during which either party may end the employment with one week's notice.",
            ),
            ("Place and Hours of Work", "Party B works at {{ work_location }}, for {{ working_hours }}."),
            (
                "Salary",
                "Party A pays Party B an annual gross salary of {{ salary }}, paid {{ pay_frequency }}, "
                "less the deductions required by law.",
            ),
            (
                "Leave and Benefits",
                "Party B is entitled to paid annual leave, public holidays and sick leave at "
                "least as generous as the law requires.",
            ),
            (
                "Confidentiality",
                "During and after employment, Party B keeps Party A's confidential information "
                "secret and uses it only for Party A's business.",
            ),
            ("Intellectual Property", "Work created by Party B in the course of employment belongs to Party A."),
            (
                "Termination",
                "After probation, either party may end the employment with {{ notice_period }} "
                "written notice. Party A may end it at once for serious misconduct.",
            ),
            *COMMON_CLOSING,
        ),
    ),
)

PARTNERSHIP = TemplateSpec(
    key="partnership",
    title="Partnership Agreement",
    description="Two parties running a business together, with contributions and profit shares.",
    variables=(
        *PARTY_VARIABLES,
        Variable("partnership_name", "Partnership name"),
        Variable("purpose", "Business purpose", type="longtext"),
        Variable("party_a_contribution", "Party A contribution", type="longtext"),
        Variable("party_b_contribution", "Party B contribution", type="longtext"),
        Variable("party_a_share", "Party A profit share (%)", type="number"),
        Variable("party_b_share", "Party B profit share (%)", type="number"),
        Variable("start_date", "Start date", type="date"),
        GOVERNING_LAW,
    ),
    body=_document(
        "Partnership Agreement",
        "The parties agree to carry on business together as partners on the following terms.",
        (
            ("Name and Purpose", "The partnership trades as {{ partnership_name }}. Its purpose is:\n\n{{ purpose }}"),
            ("Commencement", "The partnership starts on {{ start_date }} and continues until ended under section 7."),
            (
                "Contributions",
                "Party A contributes: {{ party_a_contribution }}\n\nParty B contributes: {{ party_b_contribution }}",
            ),
            (
                "Profits and Losses",
                "Net profits and losses are shared {{ party_a_share }}% to Party A and "
                "{{ party_b_share }}% to Party B, after each financial year's accounts are settled.",
            ),
            (
                "Management",
                "Both partners take part in managing the business. Decisions outside the ordinary "
                "course of business, new partners and borrowing need both partners' written consent.",
            ),
            ("Books and Records", "The partnership keeps accurate books, open to both partners at any time."),
            (
                "Withdrawal and Dissolution",
                "A partner may withdraw with ninety (90) days' written notice. On "
                "dissolution, debts are paid first, then contributions returned, then any surplus shared in "
                "profit-sharing proportions.",
            ),
            ("Disputes", "The partners first try to settle any dispute by good-faith negotiation, then by mediation."),
            *COMMON_CLOSING,
        ),
    ),
)

SERVICE = TemplateSpec(
    key="service_agreement",
    title="Service Agreement",
    description="Ongoing services by your business (Party A) to a customer (Party B), with service levels.",
    variables=(
        *PARTY_VARIABLES,
        Variable("scope", "Services", type="longtext"),
        Variable("fee", "Fee", type="money"),
        Variable("billing_period", "Billing period", required=False, default="per month"),
        Variable("start_date", "Start date", type="date"),
        Variable(
            "end_date",
            "End date",
            type="date",
            required=False,
            default="the date either party ends it on sixty (60) days' written notice",
        ),
        Variable(
            "service_levels",
            "Service levels",
            type="longtext",
            required=False,
            default="Party A responds to support requests within two (2) business days",
        ),
        Variable(
            "payment_terms",
            "Payment terms",
            required=False,
            default="Invoices are payable within thirty (30) days of receipt",
        ),
        GOVERNING_LAW,
    ),
    body=_document(
        "Service Agreement",
        "Party A provides services to Party B on the following terms.",
        (
            ("Services", 'Party A will provide the following services (the "Services"):\n\n{{ scope }}'),
            ("Service Levels", "{{ service_levels }}."),
            ("Term", "This Agreement starts on {{ start_date }} and runs until {{ end_date }}."),
            ("Fees", "Party B pays {{ fee }} {{ billing_period }} for the Services. {{ payment_terms }}."),
            (
                "Party B's Obligations",
                "Party B gives Party A timely access to the information, systems and "
                "people reasonably needed to provide the Services.",
            ),
            (
                "Confidentiality and Data",
                "Each party keeps the other's confidential information secret and "
                "processes personal data only as the law allows and as needed for the Services.",
            ),
            (
                "Warranties",
                "Party A performs the Services with reasonable skill and care, in line with good industry practice.",
            ),
            (
                "Termination",
                "Either party may end this Agreement at once by written notice if the other "
                "materially breaches it and does not cure the breach within thirty (30) days.",
            ),
            (
                "Limitation of Liability",
                "Neither party is liable for indirect loss. Each party's total liability "
                "in any year is limited to the fees paid in that year.",
            ),
            *COMMON_CLOSING,
        ),
    ),
)

NDA = TemplateSpec(
    key="nda",
    title="Mutual Non-Disclosure Agreement",
    description="Both parties protect the confidential information they share while discussing a purpose.",
    variables=(
        *PARTY_VARIABLES,
        Variable("purpose", "Purpose of disclosure", type="longtext"),
        Variable("confidentiality_period", "Confidentiality period", required=False, default="two (2) years"),
        GOVERNING_LAW,
    ),
    body=_document(
        "Mutual Non-Disclosure Agreement",
        "The parties intend to share confidential information with each other for the purpose below and "
        "agree to protect it as follows.",
        (
            ("Purpose", "The parties share information only to: {{ purpose }}."),
            (
                "Confidential Information",
                "Confidential information is any non-public information one party "
                "discloses to the other, in any form, that is marked confidential or would reasonably be "
                "understood to be confidential.",
            ),
            (
                "Exclusions",
                "It does not include information that is or becomes public through no fault of the "
                "receiving party, was already lawfully known to it, is independently developed, or is received "
                "lawfully from a third party.",
            ),
            (
                "Obligations",
                "The receiving party uses confidential information only for the purpose, protects "
                "it with at least reasonable care, and shares it only with people who need to know it and are "
                "bound by similar duties.",
            ),
            (
                "Required Disclosure",
                "A party may disclose information the law or a court requires it to, after "
                "telling the other party promptly where allowed.",
            ),
            (
                "Return of Information",
                "On request, the receiving party returns or destroys the confidential information it holds.",
            ),
            ("Duration", "These obligations last for {{ confidentiality_period }} from the effective date."),
            ("No Licence", "No right or licence in any information is granted other than as stated here."),
            *COMMON_CLOSING,
        ),
    ),
)

BUILTIN_TEMPLATES = {spec.key: spec for spec in (FREELANCE, EMPLOYMENT, PARTNERSHIP, SERVICE, NDA)}
