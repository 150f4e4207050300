"""Deterministic, explainable resume analysis against a job description (no network).

1. Key terms: the job description is tokenised; stop words, filler ("experience",
   "team", "strong") and numbers are dropped; single words and two/three-word phrases
   are weighted by frequency, by being a known skill or tool, and by looking like a
   proper name or a technical token (``PostgreSQL``, ``C++``, ``Node.js``). A phrase
   never spans punctuation or a line break ("Shopify, Shopware" is two terms). Job-ad
   boilerplate (contract type, pay, benefits, places) and the hiring company's name
   (see ``company_mentions``) are never terms. The top ``MAX_TERMS`` terms are kept;
   words already covered by a chosen phrase are folded into it.
2. Matching: both texts are normalised the same way (case, punctuation, simple
   plurals), and a term also matches its squashed form, so "Node.js", "nodejs" and
   "Node JS" are one term, as are "APIs" and "API".
3. ATS basics: contact details, standard sections, quantified achievements, action
   verbs, length and weak phrasing, each worth points.
4. Score: ``KEYWORD_WEIGHT`` x keyword coverage + ``ATS_WEIGHT`` x ATS basics, or
   ATS basics alone when the job description is empty. Every part is returned in
   ``breakdown``. Ties are broken by position, so the same input gives the same output.
"""

import re
from dataclasses import dataclass

MAX_TERMS = 25
KEYWORD_WEIGHT = 0.6
ATS_WEIGHT = 0.4


def _wordset(text):
    return frozenset(text.split())


STOP_WORDS = _wordset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each either etc even ever every few for from further had has
have having he her here hers him his how i if in into is it its itself just least less let like may me might more
most much must my no nor not now of off on once one only or other our ours out over own per same shall she should
so some such than that the their theirs them then there these they this those through thus to too under until up
upon us very via was we were what when where whether which while who whom whose why will with within without would
yet you your yours eg ie e.g i.e ll re ve
""")

# Words frequent in job ads that say nothing about the skills a resume should show.
FILLER = _wordset("""
ability able about across activities additional advantage applicant applicants apply approach area areas ask asked
based benefits best better bonus build building candidate candidates career closely company compensation competitive
daily day days degree demonstrated description desired detail details done duties eager employer employment
environment equal essential excellent exciting expected experience experienced expertise familiar familiarity field
fluent focus following friendly full fun good great grow growing growth guide help high highly hire hiring ideal
ideally include includes including individual job join key know knowing knowledge knows large level looking love
make making manage
member members minimum mission must need needed new nice offer offering office opportunity opportunities part
passion passionate people perks plus position preferred previous proficiency proficient proven provide quality
range related relevant required requirement requirements responsibilities responsibility responsible role roles
salary seeking senior similar skill skilled skills solid strong success successful support take team teams
time today tools understanding use using value values want way ways well wide work working world year years
""")

# Company forms ("Acme GmbH"): a hint that the words before name the employer, never a skill.
LEGAL_SUFFIXES = _wordset("ab ag bv corp corporation gmbh inc limited llc ltd oy plc sa")

# The small print of a job ad (contract type, pay, benefits, how to apply): never a skill.
BOILERPLATE = _wordset("""
401k allowance annual applicant application applications applying asap bonuses cet cest click commission
consideration contract contractor contractors contracts cover cv dental disability discrimination diversity
employee employees employer equity est fixed flexible freelance freelancer fulltime gender gmt health holiday
holidays hour hourly hours hybrid inclusion inclusive insurance internship interview ir35 leave letter
location medical mfd month monthly months mwd nationality onsite opportunity orientation origin parental parttime
paid pay pension permanent perk pst pto qualified race rate recruiter recruitment regard relocation religion remote
remotefirst remotely resume salaries salary sex sponsorship start status submit temporary timezone timezones
unlimited vacation veteran visa w2 week weekly
""") | LEGAL_SUFFIXES

# Countries, regions and tech hubs that job ads name as the workplace: never a skill.
PLACES = _wordset("""
amsterdam america americas apac argentina asia athens atlanta australia austria bangalore barcelona belgium
bengaluru berlin birmingham boston brazil bristol brussels budapest cambridge canada chicago china copenhagen dach
dallas denmark denver dublin edinburgh emea england estonia europe european finland france francisco frankfurt
germany glasgow hamburg helsinki hyderabad india ireland italy japan kingdom kyiv latam leeds lisbon london madrid
manchester melbourne mexico milan montreal munich netherlands nordics norway nyc oslo paris poland portugal prague
pune romania scotland seattle singapore spain stockholm sweden switzerland sydney tallinn tokyo toronto uk ukraine
usa vancouver vienna wales warsaw york zurich
""")

NOT_SKILLS = FILLER | BOILERPLATE | PLACES
_QUANTITY = re.compile(r"\d+(k|m|x|st|nd|rd|th|h|hrs|yrs)")  # "140k", "6th": amounts, not words

# A small lexicon of skills and tools: a term found here is weighted up.
KNOWN_SKILLS = _wordset("""
agile airflow android angular ansible api aws azure bash bigquery c c# c++ cassandra ci/cd css dart datadog django
docker dynamodb elasticsearch excel express fastapi figma flask gcp git github gitlab go golang graphql hadoop html
ios java javascript jenkins jira jquery kafka kotlin kubernetes laravel linux mongodb mysql next.js
nginx node.js nosql numpy oracle pandas php postgresql powershell python pytorch rabbitmq react redis rest
ruby rust sass scala scikit-learn scrum seo sql sqlite swift tableau tensorflow terraform typescript vue webpack
cypress dbt jest magento redux shopify shopware snowflake spark storybook svelte symfony twig woocommerce wordpress
""") | {
    "machine learning",
    "data analysis",
    "project management",
    "product management",
    "user research",
    "unit testing",
    "power bi",
    "ci/cd",
    "google cloud",
    "deep learning",
    "computer vision",
    "natural language processing",
    "rest api",
    "microservices",
    "test automation",
    "spring boot",
}

_KNOWN_SQUASHED = frozenset(re.sub(r"[./-]", "", skill) for skill in KNOWN_SKILLS)

ACTION_VERBS = _wordset("""
achieved analysed analyzed architected automated built collaborated created cut decreased delivered designed
developed drove enabled engineered established expanded generated grew implemented improved increased introduced
launched led managed mentored migrated negotiated optimised optimized organised organized owned planned reduced
redesigned refactored resolved saved scaled shipped simplified spearheaded streamlined trained transformed
""")

WEAK_PHRASES = ("responsible for", "duties included", "worked on", "helped with", "tasked with")
SECTION_HEADINGS = {
    "experience": ("experience", "work history", "employment", "professional background"),
    "education": ("education", "academic", "qualifications"),
    "skills": ("skills", "technologies", "technical proficiencies", "tech stack", "competencies"),
}

# Every pattern here reads user text and runs in linear time. A search tries each start
# position, so a pattern whose first run (``[^@\s]+``, ``\d+``) is cut short only by a
# later failure re-walked that run from every position inside it: 20,000 characters
# without a space took 3.5 s in _EMAIL, and 20,000 digits then a letter over 40 s in
# _NUMBER. Now a match may only begin where its run begins (the lookbehinds), and runs
# are taken possessively (``++``, ``*+``: never given back), so each run is walked O(1)
# times. _TOKEN and _PHONE are linear as they are: their runs end in a character class
# the run itself contains, so the first start in a run either matches or fails within it.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#./-]*[A-Za-z0-9+#]|[A-Za-z][+#]*")
_EMAIL = re.compile(r"(?<![^@\s])[^@\s]++@[^@\s]+\.[A-Za-z]{2}")
_PHONE = re.compile(r"(\+?\d[\d\s().-]{7,}\d)")
_NUMBER = re.compile(r"(?<!\d)\d++(?:\.\d++)?\s*+(?:%|percent|[xkm]\b)|[$€£]\s*+\d|\b\d{2,}+\b", re.IGNORECASE)
_LINK = re.compile(r"(linkedin\.com|github\.com|https?://)", re.IGNORECASE)


def normalise(token):
    """Canonical matching form of one word: lower case, inner dots/dashes/slashes out,
    a simple plural made singular ("APIs" -> "api", "libraries" -> "library")."""
    word = re.sub(r"(?<=\w)[./-](?=\w)", "", token.lower().strip(".,;:!?()[]{}\"'"))
    if word in _KNOWN_SQUASHED or word.endswith(("js", "ss", "us", "os")) or (len(word) > 4 and word.endswith("is")):
        return word  # "nodejs", "redis", "analysis", "ios" are not plurals
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Word:
    raw: str
    key: str
    index: int
    sentence_start: bool


def words(text):
    """Tokens with their canonical keys; sentence starts are remembered (capitals there say nothing)."""
    result, start = [], True
    for index, match in enumerate(_TOKEN.finditer(text or "")):
        raw = match.group(0)
        before = text[max(0, match.start() - 2) : match.start()]
        sentence_start = start or bool(re.search(r"[.!?:\n•*-]\s*$", before)) or match.start() == 0
        result.append(Word(raw, normalise(raw), index, sentence_start))
        start = False
    return result


def _is_content(word):
    lowered = word.raw.lower()
    return (
        lowered not in STOP_WORDS
        and word.key not in NOT_SKILLS
        and lowered not in NOT_SKILLS
        and not lowered.endswith("-based")  # "Berlin-based"
        and not _QUANTITY.fullmatch(word.key)  # "140k", "6th"
        and any(ch.isalpha() for ch in word.key)
        and (len(word.key) > 1 or lowered in KNOWN_SKILLS)
    )


def _looks_technical(raw):
    mixed_case = raw[:1].isupper() and any(c.isupper() for c in raw[1:])
    return any(ch in raw for ch in "+#.") or mixed_case or (raw.isupper() and len(raw) > 1)


# -- phrases and the hiring company ----------------------------------------------------------------

# Evidence that a capitalised name is the employer; each kind counts once. A cue word right
# before the name ("About Acme", "Join Acme", "at Acme") is one kind per word.
NAME_CUES = {"About": "about", "Join": "join", "join": "join", "Why": "why", "At": "at", "at": "at"}
STRONG_CUES = {"about", "join", "why", "legal"}
WEAK_CUES = {"at", "possessive"}  # "at Shopify scale", "Shopify's API": said of platforms too
# "Acme is a ...", "Acme helps ...": a name opening a sentence, then one of these verbs ...
SUBJECT_VERBS = _wordset("is are was has helps builds makes offers provides empowers powers creates serves enables")
# ... unless the sentence is about a skill ("Shopify is a plus").
SKILL_CONTEXT = _wordset("""
advantage beneficial bonus desirable essential expected helpful important mandatory must necessary needed nice
optional plus preferred required useful
""")
MAX_NAME_WORDS = 4


def _gaps(text):
    """What separates each token from the one before it (spaces, punctuation, line breaks)."""
    gaps, end = [], 0
    for match in _TOKEN.finditer(text or ""):
        gaps.append(text[end : match.start()])
        end = match.end()
    return gaps


def _joined(gap):
    """Two words can be one phrase or name only when nothing but spaces separates them."""
    return not gap.strip(" \t\u00a0")


class _Names:
    """Capitalised names in a tokenised text: up to ``MAX_NAME_WORDS`` capitalised words
    written next to each other (stop words, filler and places are never part of a name)."""

    def __init__(self, tokens, gaps):
        self.tokens, self.gaps = tokens, gaps
        self.starts = {}  # key of a capitalised word -> where it stands
        for i, word in enumerate(tokens):
            if self._name_word(i):
                self.starts.setdefault(word.key, []).append(i)

    def _name_word(self, i):
        word = self.tokens[i]
        return word.raw[:1].isupper() and word.raw.lower() not in STOP_WORDS and word.key not in NOT_SKILLS

    def span(self, i, step):
        """(start, end) of the name starting (step 1) or ending (step -1) at token i, or None."""
        if not 0 <= i < len(self.tokens) or not self._name_word(i):
            return None
        j = i
        while (
            abs(j - i) + 1 < MAX_NAME_WORDS
            and 0 <= j + step < len(self.tokens)
            and self._name_word(j + step)
            and _joined(self.gaps[max(j, j + step)])
        ):
            j += step
        return (min(i, j), max(i, j) + 1)

    def key(self, span):
        return " ".join(self.tokens[k].key for k in range(*span))

    def is_skill(self, span):
        text = " ".join(self.tokens[k].raw.lower() for k in range(*span))
        return text in KNOWN_SKILLS or self.key(span).replace(" ", "") in _KNOWN_SQUASHED

    def occurrences(self, key):
        """Token indices of every mention of the name ``key``."""
        parts, found = key.split(" "), set()
        for i in self.starts.get(parts[0], ()):
            span = self.span(i, 1)
            if span and self.key((i, min(span[1], i + len(parts)))) == key:
                found.update(range(i, i + len(parts)))
        return found


def _company_cues(tokens, gaps, names):
    """{name key: the kinds of evidence that it is the employer}."""
    cues = {}

    def note(span, kind):
        if span and not names.is_skill(span):
            cues.setdefault(names.key(span), set()).add(kind)
            if span[1] - span[0] > 1 and not names.is_skill((span[0], span[0] + 1)):
                cues.setdefault(tokens[span[0]].key, set()).add(kind)  # the short name: "Acme" of "Acme Health"

    for i, word in enumerate(tokens):
        after, before = i + 1 < len(tokens) and _joined(gaps[i + 1]), i > 0 and _joined(gaps[i])
        if word.raw in NAME_CUES and after:
            note(names.span(i + 1, 1), NAME_CUES[word.raw])
        elif word.raw == "s" and i > 0 and gaps[i] in ("'", "’"):
            note(names.span(i - 1, -1), "possessive")
        elif word.key in LEGAL_SUFFIXES and word.raw[:1].isupper() and before:
            note(names.span(i - 1, -1), "legal")
        elif word.raw in SUBJECT_VERBS and before:
            span = names.span(i - 2 if i > 1 and tokens[i - 1].key in LEGAL_SUFFIXES else i - 1, -1)
            about_a_skill = {w.raw.lower() for w in tokens[i + 1 : i + 3]} & SKILL_CONTEXT
            if span and tokens[span[0]].sentence_start and not about_a_skill:
                note(span, "subject")
    return cues


def company_mentions(tokens, gaps):
    """Indices of the tokens that name the hiring company (never key terms).

    A capitalised name is taken for the employer when the ad gives two kinds of evidence
    for it, not both weak ("About Acme" and "Acme's team"), or one strong kind ("About",
    "Join", "Why", a legal suffix such as GmbH) and mentions it at least twice. Known
    skills are never taken for the company: a wrong guess would hide a real skill.
    """
    names = _Names(tokens, gaps)
    covered = set()
    for key, kinds in _company_cues(tokens, gaps, names).items():
        if len(kinds) >= 2 and not kinds <= WEAK_CUES:
            covered |= names.occurrences(key)
        elif kinds & STRONG_CUES:
            mentions = names.occurrences(key)
            if len(mentions) >= 2 * len(key.split(" ")):
                covered |= mentions
    return covered


@dataclass
class Term:
    text: str  # as first written in the job description
    key: str  # canonical words joined by spaces
    weight: float
    first: int

    @property
    def squashed(self):
        return self.key.replace(" ", "")


def extract_terms(job_description, limit=MAX_TERMS):
    """The job's key terms, most important first (deterministic)."""
    tokens = words(job_description)
    gaps = _gaps(job_description)
    company = company_mentions(tokens, gaps)
    stats = {}

    def add(key, text, index, bonus):
        entry = stats.setdefault(key, {"text": text, "count": 0, "first": index, "bonus": 0.0})
        entry["count"] += 1
        entry["bonus"] = max(entry["bonus"], bonus)

    for i, word in enumerate(tokens):
        if not _is_content(word) or i in company:
            continue
        lowered = word.raw.lower()
        bonus = 2.0 if lowered in KNOWN_SKILLS else 0.0
        if _looks_technical(word.raw) or (word.raw[:1].isupper() and not word.sentence_start):
            bonus += 1.0
        add(word.key, word.raw, i, bonus)
        for size in (2, 3):
            gram = tokens[i : i + size]
            if (
                len(gram) == size
                and all(_is_content(w) and w.index not in company for w in gram)
                and all(_joined(gaps[w.index]) for w in gram[1:])
            ):
                text = " ".join(w.raw for w in gram)
                known = text.lower() in KNOWN_SKILLS
                add(" ".join(w.key for w in gram), text, i, 3.0 if known else 0.0)

    candidates = []
    for key, entry in stats.items():
        is_phrase = " " in key
        if is_phrase and entry["count"] < 2 and entry["bonus"] < 3.0:
            continue  # a phrase must recur or be a known skill to count as one term
        weight = entry["count"] + entry["bonus"] + (1.0 if is_phrase else 0.0)
        candidates.append(Term(entry["text"], key, weight, entry["first"]))
    candidates.sort(key=lambda t: (-t.weight, t.first, t.key))

    chosen = []
    for term in candidates:
        covering = [o for o in chosen if " " in o.key and term.key in o.key.split(" ")]
        if (
            " " not in term.key
            and covering
            and stats[term.key]["count"] <= max(stats[o.key]["count"] for o in covering)
        ):
            continue  # a word that only appears inside an already chosen phrase
        chosen.append(term)
        if len(chosen) == limit:
            break
    return chosen


class ResumeIndex:
    """The resume's canonical words and 1-3 word phrases, plain and squashed."""

    def __init__(self, text):
        keys = [w.key for w in words(text)]
        self.grams = set()
        for size in (1, 2, 3):
            for i in range(len(keys) - size + 1):
                self.grams.add(" ".join(keys[i : i + size]))
        self.squashed = {g.replace(" ", "") for g in self.grams}

    def has(self, term):
        return term.key in self.grams or term.squashed in self.squashed


# -- ATS basics ------------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    passed: bool
    points: int
    max_points: int
    detail: str
    suggestion: str = ""

    def as_dict(self):
        return {
            "name": self.name,
            "passed": self.passed,
            "points": self.points,
            "max_points": self.max_points,
            "detail": self.detail,
        }


def _lines(text):
    return [line.strip(" \t•*-–") for line in (text or "").splitlines() if line.strip()]


def ats_checks(text):
    lines = _lines(text)
    lowered = (text or "").lower()
    word_count = len(words(text))
    checks = []

    has_email, has_phone = bool(_EMAIL.search(text or "")), bool(_PHONE.search(text or ""))
    contact_points = 10 * has_email + 5 * has_phone
    checks.append(
        Check(
            "contact",
            has_email and has_phone,
            contact_points,
            15,
            f"email {'found' if has_email else 'missing'}, phone {'found' if has_phone else 'missing'}",
            "Put an email address and a phone number at the top so recruiters can reach you.",
        )
    )
    has_link = bool(_LINK.search(text or ""))
    checks.append(
        Check(
            "links",
            has_link,
            5 * has_link,
            5,
            "profile link found" if has_link else "no LinkedIn, GitHub or website",
            "Add a LinkedIn, GitHub or portfolio link.",
        )
    )

    heading_lines = [line.lower().rstrip(":") for line in lines if len(line) <= 40]
    found = [
        name for name, names in SECTION_HEADINGS.items() if any(any(h in line for h in names) for line in heading_lines)
    ]
    missing = [name for name in SECTION_HEADINGS if name not in found]
    checks.append(
        Check(
            "sections",
            not missing,
            10 * len(found),
            30,
            f"found: {', '.join(found) or 'none'}" + (f"; missing: {', '.join(missing)}" if missing else ""),
            f"Use standard section headings ATS parsers recognise: {', '.join(s.title() for s in missing)}.",
        )
    )

    quantified = sum(
        1 for line in lines if _NUMBER.search(line) and not _EMAIL.search(line) and not _PHONE.fullmatch(line)
    )
    checks.append(
        Check(
            "quantified_achievements",
            quantified >= 3,
            min(quantified, 3) * 5,
            15,
            f"{quantified} line(s) with numbers",
            'Quantify results ("cut build time by 40%", "served 2M users") in at least three bullet points.',
        )
    )

    verb_lines = sum(1 for line in lines if line.split(" ", 1)[0].lower().strip(",.") in ACTION_VERBS)
    checks.append(
        Check(
            "action_verbs",
            verb_lines >= 3,
            min(verb_lines, 3) * 5,
            15,
            f"{verb_lines} line(s) start with an action verb",
            "Start bullet points with strong action verbs (led, built, reduced, launched).",
        )
    )

    good_length = 250 <= word_count <= 1000
    length_points = 15 if good_length else (8 if 120 <= word_count <= 1400 else 0)
    checks.append(
        Check(
            "length",
            good_length,
            length_points,
            15,
            f"{word_count} words",
            "Aim for 250-1000 words: long enough to show impact, short enough to scan."
            if word_count < 250
            else "Trim the resume to at most two pages (about 1000 words).",
        )
    )

    weak = [phrase for phrase in WEAK_PHRASES if phrase in lowered]
    checks.append(
        Check(
            "weak_phrases",
            not weak,
            0 if weak else 5,
            5,
            f"found: {', '.join(weak)}" if weak else "none found",
            f"Replace passive phrases ({', '.join(weak)}) with what you achieved.",
        )
    )
    return checks


# -- the analysis ----------------------------------------------------------------------------------


def analyse(resume_text, job_description=""):
    """Score a plain-text resume against a job description; see the module docstring."""
    checks = ats_checks(resume_text)
    ats_score = round(100 * sum(c.points for c in checks) / sum(c.max_points for c in checks))

    terms = extract_terms(job_description) if (job_description or "").strip() else []
    index = ResumeIndex(resume_text)
    matched = [t for t in terms if index.has(t)]
    missing = [t for t in terms if not index.has(t)]
    total_weight = sum(t.weight for t in terms)
    keyword_score = round(100 * sum(t.weight for t in matched) / total_weight) if total_weight else None

    if keyword_score is None:
        score = ats_score
        weights = {"keywords": 0.0, "ats": 1.0}
    else:
        score = round(KEYWORD_WEIGHT * keyword_score + ATS_WEIGHT * ats_score)
        weights = {"keywords": KEYWORD_WEIGHT, "ats": ATS_WEIGHT}

    suggestions = []
    if missing:
        top = ", ".join(t.text for t in missing[:8])
        suggestions.append(f"Mention these job keywords where they truthfully apply: {top}.")
    suggestions += [c.suggestion for c in checks if not c.passed and c.suggestion]
    if keyword_score is None:
        suggestions.append("Paste the job description to see which of its keywords your resume is missing.")

    strengths = []
    if matched:
        strengths.append(f"Matches {len(matched)} of {len(terms)} key terms: {', '.join(t.text for t in matched[:8])}.")
    strengths += [f"{c.name.replace('_', ' ').capitalize()}: {c.detail}." for c in checks if c.passed]

    return {
        "score": max(0, min(100, score)),
        "suggestions": suggestions,
        "missing_keywords": [t.text for t in missing],
        "matched_keywords": [t.text for t in matched],
        "strengths": strengths,
        "breakdown": {
            "keywords": {
                "score": keyword_score,
                "weight": weights["keywords"],
                "matched": len(matched),
                "total": len(terms),
            },
            "ats": {"score": ats_score, "weight": weights["ats"], "checks": [c.as_dict() for c in checks]},
        },
    }
