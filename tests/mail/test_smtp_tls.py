"""Invoice e-mail over TLS, end to end: POST /send, the job run by a real RQ worker, and real
aiosmtpd relays with certificates of a CA made for the test (trusted through SMTP_CA_FILE):
STARTTLS with AUTH, implicit TLS, and the refusals (untrusted CA, wrong host name, wrong
password, a remote server without STARTTLS)."""

import ipaddress
import socket

import pytest

from orbix.dev.mail_sink import MailSink
from orbix.mail.transport import parse_url
from tests.mail.conftest import LOGIN, PASSWORD, smtp_url

FAILED_ATTEMPTS = 3  # the first try and JOBS_RETRY_MAX=2 retries


def _assert_delivered(sink, invoice):
    [(sender, recipients, email)] = sink.received
    assert sender == "invoices@orbix.test" and recipients == ["billing@acme.io"]
    assert invoice["invoice_number"] in email["Subject"]
    assert sink.sessions == [(LOGIN, True)]  # logged in with SMTP_URL's user, over TLS


def _assert_failed(message, *fragments):
    assert message["status"] == "failed" and message["attempts"] == FAILED_ATTEMPTS
    for fragment in fragments:
        assert fragment in message["error"]


def test_an_invoice_goes_through_a_starttls_relay_with_auth(deliver, starttls_relay, trusted_ca):
    invoice, message = deliver(starttls_relay, smtp_url(starttls_relay, "localhost"), trusted_ca.ca_file)
    assert message["status"] == "sent" and message["attempts"] == 1 and message["error"] is None
    _assert_delivered(starttls_relay, invoice)


def test_an_invoice_goes_through_an_implicit_tls_relay(deliver, implicit_tls_relay, trusted_ca):
    assert implicit_tls_relay.url.startswith("smtps://")
    invoice, message = deliver(implicit_tls_relay, smtp_url(implicit_tls_relay, "127.0.0.1"), trusted_ca.ca_file)
    assert message["status"] == "sent" and message["error"] is None
    _assert_delivered(implicit_tls_relay, invoice)


def test_a_private_relay_is_not_trusted_without_smtp_ca_file(deliver, implicit_tls_relay):
    _, message = deliver(implicit_tls_relay, smtp_url(implicit_tls_relay, "127.0.0.1"))
    _assert_failed(message, "MailTlsError", "did not verify", "SMTP_CA_FILE")
    assert implicit_tls_relay.received == []


def test_an_untrusted_certificate_fails_the_message_and_nothing_goes_in_clear(deliver, authorities):
    trusted, stranger = authorities
    # STARTTLS offered but not required: a client falling back to clear text would be accepted.
    with MailSink(tls_context=stranger.issue().server_context()) as relay:
        _, message = deliver(relay, relay.url, trusted.ca_file)
        _assert_failed(message, "MailTlsError", f"127.0.0.1:{relay.port}", "did not verify")
        assert relay.received == []


def test_a_certificate_for_another_host_name_fails_the_message(deliver, trusted_ca):
    with MailSink(ssl_context=trusted_ca.issue(names=("mail.example.test",)).server_context()) as relay:
        _, message = deliver(relay, f"smtps://localhost:{relay.port}", trusted_ca.ca_file)
        _assert_failed(message, "MailTlsError", "Hostname mismatch, certificate is not valid for 'localhost'")
        assert relay.received == []


def test_a_wrong_password_fails_the_message_with_the_smtp_error(deliver, starttls_relay, trusted_ca):
    url = smtp_url(starttls_relay, "localhost", password=PASSWORD + "x")
    _, message = deliver(starttls_relay, url, trusted_ca.ca_file)
    _assert_failed(message, "SMTPAuthenticationError", "535", "Authentication credentials invalid")
    assert starttls_relay.received == []


def _non_loopback_address():
    """This machine's address on its outbound interface (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("198.51.100.1", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if ipaddress.ip_address(address).is_loopback or address == "0.0.0.0" else address


def test_a_remote_server_without_starttls_is_refused_and_nothing_goes_in_clear(deliver):
    address = _non_loopback_address()
    if address is None:
        pytest.skip("no non-loopback address here; test_only_loopback_hosts_may_skip_starttls covers the rule")
    with MailSink(host=address) as relay:  # plain SMTP, no STARTTLS offered
        _, message = deliver(relay, relay.url)
        _assert_failed(message, "SMTPNotSupportedError", f"{address} does not offer STARTTLS", "refusing")
        assert relay.received == []


@pytest.mark.parametrize(("url", "loopback"), [
    ("smtp://127.0.0.1:8025", True), ("smtp://localhost:25", True), ("smtp://127.8.0.1:25", True),
    ("smtp://[::1]:25", True), ("smtp://mail.example.com:587", False), ("smtp://192.0.2.2:25", False),
    ("smtp://localhost.example.com:25", False), ("smtp://[2001:db8::1]:25", False),
])
def test_only_loopback_hosts_may_skip_starttls(url, loopback):
    assert parse_url(url).loopback is loopback
