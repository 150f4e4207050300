"""TLS relays for the mail tests: real aiosmtpd servers (the development sink with TLS and AUTH
options) presenting certificates of a CA made for the test session."""

from urllib.parse import quote

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from orbix.dev.mail_sink import MailSink
from tests.certificates import Authority
from tests.conftest import JOBS_FOR_TESTS, JobRunner, make_app
from tests.factories import invoice_messages, make_invoice, send_invoice

LOGIN, PASSWORD = "relay-user", "s3cret p@ss/word"  # percent-encoded in SMTP_URL


class Accounts:
    """An aiosmtpd authenticator accepting one login and password (535 for anything else)."""

    def __init__(self, login, password):
        self.login, self.password = login.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (self.login,
                                                                                               self.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def smtp_url(sink, host, login=LOGIN, password=PASSWORD):
    """``sink``'s URL with credentials, reached as ``host`` (the name the certificate must match)."""
    return f"{sink.url.split('://')[0]}://{quote(login, safe='')}:{quote(password, safe='')}@{host}:{sink.port}"


@pytest.fixture(scope="session")
def authorities(tmp_path_factory):
    """(the CA the app is told to trust, a CA it does not know)."""
    directory = tmp_path_factory.mktemp("pki")
    return Authority(directory, "Orbix Test CA"), Authority(directory, "Stranger CA")


@pytest.fixture(scope="session")
def trusted_ca(authorities):
    return authorities[0]


@pytest.fixture(scope="session")
def starttls_relay(trusted_ca):
    """Port 587 style: STARTTLS required before MAIL, AUTH only over TLS."""
    with MailSink(tls_context=trusted_ca.issue().server_context(), require_starttls=True,
                  authenticator=Accounts(LOGIN, PASSWORD), auth_require_tls=True) as sink:
        yield sink


@pytest.fixture(scope="session")
def implicit_tls_relay(trusted_ca):
    """Port 465 style: TLS from the first byte (aiosmtpd cannot tell AUTH it is on TLS, hence the flag)."""
    with MailSink(ssl_context=trusted_ca.issue().server_context(), authenticator=Accounts(LOGIN, PASSWORD),
                  auth_require_tls=False) as sink:
        yield sink


@pytest.fixture
def deliver(mongo_uri, redis_uri, client, auth, jobs):
    """Send an invoice through the API, then run its job (retries included) in an app with the
    given SMTP_URL and SMTP_CA_FILE; ``sink`` (the server reached) starts empty. Returns
    (invoice, message record)."""

    def deliver(sink, url, ca_file=None):
        sink.clear()
        app = make_app(mongo_uri, redis_uri, SMTP_URL=url, SMTP_CA_FILE=ca_file and str(ca_file), **JOBS_FOR_TESTS)
        invoice = make_invoice(client, auth)
        send_invoice(client, auth, invoice)
        JobRunner(app).run()
        [message] = invoice_messages(client, auth, invoice)
        return invoice, message

    return deliver
