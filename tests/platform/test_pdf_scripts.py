"""PDFs keep text in every script: invoices, contracts (signed through the public link) and
resumes with Latin, Greek, Cyrillic, CJK, Arabic, Hebrew, Devanagari, Thai and emoji, read
back with pypdf; signer names cannot reorder the signature record; fonts that are missing
are logged, not fatal."""

import hashlib
import io
import logging
import unicodedata
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from tests.conftest import make_app
from tests.factories import register_user

SAMPLES = {
    "Latin": "Crème brûlée, Ærøskøbing, Łódź",
    "Greek": "Καλημέρα κόσμε",
    "Cyrillic": "Здравствуйте, мир",
    "Japanese": "株式会社さくらデジタル",
    "Chinese": "北京数字科技有限公司",
    "Korean": "안녕하세요 세계",
    "Arabic": "مرحبا بالعالم",
    "Hebrew": "שלום עולם",
    "Devanagari": "नमस्ते दुनिया",
    "Thai": "สวัสดีชาวโลก",
    "emoji": "🚀😀",
}
EVERY_SCRIPT = "\n".join(f"{script}: {sample}" for script, sample in SAMPLES.items())
COMPANY = "株式会社さくらデジタル"
SIGNER = "山田太郎"
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
TEMPLATES = ("modern", "classic", "creative", "minimal", "executive")


# ---- reading text back ----------------------------------------------------------------------

def pdf_text(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def _squeezed(text):
    """NFKC without white space and invisible characters: NFKC folds Arabic presentation
    forms back into letters, and pypdf puts a NUL before each CJK glyph of a CID font and
    spaces between them (pdftotext adds bidi marks around right-to-left runs)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf"))


def comes_back(sample, text):
    """``sample`` is in ``text`` in logical order, or in the order right-to-left text is
    drawn: fpdf2 draws an Arabic or Hebrew run in visual order, so pypdf may return its
    words (or its letters) reversed depending on how the run was split into fragments."""
    found = _squeezed(text)
    orders = (sample, " ".join(reversed(sample.split())), sample[::-1])
    return any(_squeezed(order) in found for order in orders)


def missing_scripts(text):
    return [script for script, sample in SAMPLES.items() if not comes_back(sample, text)]


# ---- documents through the API --------------------------------------------------------------

def make_client(client, auth, name=COMPANY, **fields):
    response = client.post("/api/clients", json={"name": name, "email": "keiri@sakura.example", **fields}, headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["_id"]


def make_invoice(client, auth, descriptions, notes=None, client_name=COMPANY):
    body = {
        "client_id": make_client(client, auth, name=client_name),
        "due_date": (date.today() + timedelta(days=30)).isoformat(),
        "items": [{"description": text, "quantity": 1, "rate": 100} for text in descriptions],
        "notes": notes,
    }
    response = client.post("/api/invoices", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def sent_contract(client, auth, client_id=None):
    """A contract from a template whose party B (the client, a company) is represented by
    山田太郎, sent for signature; returns (contract, signing path)."""
    body = {
        "client_id": client_id or make_client(client, auth),
        "template": "freelance_services",
        "title": "業務委託契約 Services",
        "variables": {"party_b_representative": SIGNER, "scope": EVERY_SCRIPT, "fee": 4800, "start_date": "2026-03-01"},
        "allow_any_signer": True,  # the signer's own address, not the company's
    }
    response = client.post("/api/contracts", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    contract = response.get_json()
    response = client.post(f"/api/contracts/{contract['_id']}/send", json={}, headers=auth)
    assert response.status_code == 200, response.get_json()
    token = response.get_json()["signing_url"].rsplit("/", 1)[1]
    return contract, f"/api/public/contracts/{token}"


def sign(client, path, name, email="yamada@sakura.example"):
    response = client.post(f"{path}/sign", json={"name": name, "email": email, "agree": True})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def signed_contract_pdf(client, auth, signer, email="yamada@sakura.example"):
    contract, path = sent_contract(client, auth)
    sign(client, path, signer, email)
    stored = client.get(f"/api/contracts/{contract['_id']}", headers=auth).get_json()
    return stored, pdf_text(client.get(f"/api/contracts/{contract['_id']}/pdf", headers=auth))


def record_line(text, label):
    """The signature record's line with ``label``, white space collapsed."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return next(line for line in lines if line.startswith(label))


# ---- every script comes back ------------------------------------------------------------------


def test_invoice_pdf_keeps_text_in_every_script(client, auth):
    invoice = make_invoice(
        client, auth, [f"{script}: {sample}" for script, sample in SAMPLES.items()], notes=EVERY_SCRIPT
    )
    text = pdf_text(client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth))
    assert comes_back(COMPANY, text) and "keiri@sakura.example" in text, text
    assert missing_scripts(text) == [], text


def test_lines_after_a_line_in_a_fallback_font_keep_their_own_font_on_every_page(client, auth):
    # fpdf2 set the page's font inside a line that starts (and ends) with a fallback font,
    # where the line's q/Q undid it: the next Latin line was drawn with another font's glyphs.
    content = "\n".join(f"{SAMPLES['Japanese']} {n} {SAMPLES['Chinese']}\nplain line {n}" for n in range(200))
    body = {"client_id": make_client(client, auth), "title": "Many pages", "content": content}
    response = client.post("/api/contracts", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    text = pdf_text(client.get(f"/api/contracts/{response.get_json()['_id']}/pdf", headers=auth))
    assert "Page 4/" in text
    assert [n for n in range(200) if f"plain line {n}" not in text] == []


def test_signed_contract_pdf_keeps_every_script_and_the_signer_yamada(client, auth):
    stored, text = signed_contract_pdf(client, auth, SIGNER)
    assert missing_scripts(text) == [], text
    assert record_line(text, "Signed by:").replace("\x00", "").replace(" ", "") == f"Signedby:{SIGNER}"
    assert comes_back(f"{COMPANY}, represented by {SIGNER}", text)
    # The hash is still that of the stored text, which names 山田太郎.
    assert (
        SIGNER in stored["content"]
        and stored["content_sha256"] == hashlib.sha256(stored["content"].encode()).hexdigest()
    )
    assert stored["content_sha256"] in text.replace("\n", "")


@pytest.mark.parametrize("template", TEMPLATES)
def test_resume_pdf_keeps_text_in_every_script(client, auth, template):
    body = {
        "title": "履歴書",
        "template": template,
        "summary": EVERY_SCRIPT,
        "skills": list(SAMPLES.values()),
        "personal_info": {"full_name": SIGNER, "email": "yamada@sakura.example", "location": "東京"},
        "experience": [
            {
                "position": "エンジニア",
                "company": COMPANY,
                "start_date": "2020",
                "end_date": "",
                "description": SAMPLES["Arabic"],
                "achievements": [SAMPLES["Hebrew"], SAMPLES["Thai"]],
            }
        ],
    }
    response = client.post("/api/resumes", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    text = pdf_text(client.get(f"/api/resumes/{response.get_json()['_id']}/pdf?template={template}", headers=auth))
    assert comes_back(SIGNER, text) and comes_back(COMPANY, text), text
    assert missing_scripts(text) == [], text


def test_plain_latin_invoice_embeds_only_the_bundled_fonts(client, auth):
    invoice = make_invoice(client, auth, ["Design work", "Crème brûlée tasting"], client_name="Zoë Müller GmbH")
    response = client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth)
    pdf_text(response)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(response.data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all("DejaVu" in font for font in fonts), fonts
    assert len(response.data) < 100_000


# ---- the signature record ---------------------------------------------------------------------


def test_bidi_controls_in_a_signer_name_do_not_reach_or_reorder_the_signature_record(client, auth):
    # U+202E would show "Mallory fdp.exe" as "Mallory exe.pdf"; the other controls embed,
    # override or isolate. The stored name (and the hashed text) stay as they were.
    name = f"Mallory \u202efdp.exe{BIDI_CONTROLS}"
    stored, text = signed_contract_pdf(client, auth, name, email="mallory@example.com")
    assert stored["signed_by"]["name"] == name
    assert stored["content_sha256"] == hashlib.sha256(stored["content"].encode()).hexdigest()
    assert not set(BIDI_CONTROLS) & set(text)
    assert record_line(text, "Signed by:") == "Signed by: Mallory fdp.exe"
    assert record_line(text, "Signer's email:") == "Signer's email: mallory@example.com"
    assert "exe.pdf" not in text


def test_right_to_left_signer_name_leaves_the_other_record_fields_in_place(client, auth):
    # A right-to-left name next to an email that starts with digits would pull the digits
    # into its run if both were one line of text; each field is its own paragraph.
    _stored, text = signed_contract_pdf(client, auth, "\u202eדוד כהן", email="2024@example.com")
    assert record_line(text, "Signer's email:") == "Signer's email: 2024@example.com"
    assert comes_back("דוד כהן", record_line(text, "Signed by:").removeprefix("Signed by:"))


# ---- the public view ----------------------------------------------------------------------------


def test_public_view_shows_party_b_representative_as_entered(client, auth):
    # The existing web client creates clients with the company as the name.
    _contract, path = sent_contract(client, auth, client_id=make_client(client, auth, name=COMPANY))
    response = client.get(path)
    assert response.status_code == 200, response.get_json()
    party_b = response.get_json()["parties"]["party_b"]
    assert party_b["name"] == COMPANY and party_b["representative"] == SIGNER


# ---- fonts that are missing -----------------------------------------------------------------------


def test_missing_fallback_fonts_are_logged_and_pdfs_still_render(mongo_uri, redis_uri, tmp_path, caplog, app):
    with caplog.at_level(logging.WARNING, logger="orbix.common.pdf"):
        fontless = make_app(mongo_uri, redis_uri, PDF_FONT_DIRS=[str(tmp_path)])
    try:
        warnings = " ".join(record.getMessage() for record in caplog.records if record.name == "orbix.common.pdf")
        assert "fonts-noto-cjk" in warnings and "fonts-noto-core" in warnings and str(tmp_path) in warnings
        client = fontless.test_client()
        auth = register_user(client)["headers"]
        invoice = make_invoice(client, auth, [f"Design {SAMPLES['Japanese']} {SAMPLES['emoji']}"])
        text = pdf_text(client.get(f"/api/invoices/{invoice['_id']}/pdf", headers=auth))
        assert "Design" in text and invoice["invoice_number"] in text
    finally:
        make_app(mongo_uri, redis_uri)  # the default font directories again
