"""The AI provider behind a small interface, and an OpenAI-compatible implementation.

``ChatProvider.complete(messages)`` returns a ``Completion``; anything that speaks the
chat-completions protocol (OpenAI, Azure-compatible gateways, Ollama, vLLM, llama.cpp
server) works through ``OpenAICompatibleProvider``, which uses only the standard
library (``http.client``) so it can keep separate connect and read timeouts.

Failures are ``ProviderError`` subclasses carrying the HTTP status the API answers
with: 503 not configured, 504 timed out, 502 anything else (unreachable, rejected,
malformed reply). One retry is made on 429 and 5xx, after ``Retry-After`` (capped)
or a short backoff.
"""

import http.client
import json
import logging
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..common.exceptions import UpstreamFailed

log = logging.getLogger(__name__)

MAX_RETRY_AFTER_SECONDS = 10
MAX_REPLY_BYTES = 2 * 1024 * 1024


class ProviderError(UpstreamFailed):
    """The provider failed or answered badly (502 by default)."""


class ProviderNotConfigured(ProviderError):
    status = 503


class ProviderTimeout(ProviderError):
    status = 504


@dataclass
class Completion:
    content: str
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None


class ChatProvider:
    """What the AI service needs from a provider."""

    model = None

    def complete(self, messages, max_tokens=1024, temperature=0.4):  # pragma: no cover - interface
        raise NotImplementedError


class OpenAICompatibleProvider(ChatProvider):
    def __init__(self, base_url, model, api_key=None, read_timeout=30.0, connect_timeout=5.0, backoff=0.5):
        url = base_url.rstrip("/")
        if not url.endswith("/chat/completions"):
            url += "/chat/completions"
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ProviderNotConfigured("AI_BASE_URL must be an http(s) URL such as https://api.openai.com/v1")
        self.parts = parts
        self.model = model
        self.api_key = api_key
        self.read_timeout = read_timeout
        self.connect_timeout = connect_timeout
        self.backoff = backoff

    def complete(self, messages, max_tokens=1024, temperature=0.4):
        body = json.dumps({"model": self.model, "messages": messages, "max_tokens": max_tokens,
                           "temperature": temperature}).encode()
        status, headers, raw = self._post(body)
        if status == 429 or status >= 500:
            delay = self._retry_delay(headers)
            log.info("AI provider answered %s; retrying once in %.2fs", status, delay)
            time.sleep(delay)
            status, headers, raw = self._post(body)
        if status == 429:
            raise ProviderError("The AI provider is rate limiting requests (HTTP 429); try again later")
        if status in (401, 403):
            raise ProviderError(f"The AI provider refused the credentials (HTTP {status}): check AI_API_KEY")
        if status != 200:
            log.warning("AI provider error %s: %s", status, raw[:500])
            raise ProviderError(f"The AI provider failed (HTTP {status})")
        return self._parse(raw)

    def _retry_delay(self, headers):
        try:
            return min(float(headers.get("Retry-After", "")), MAX_RETRY_AFTER_SECONDS)
        except ValueError:
            return self.backoff

    def _connection(self):
        port = self.parts.port
        if self.parts.scheme == "https":
            return http.client.HTTPSConnection(self.parts.hostname, port, timeout=self.connect_timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(self.parts.hostname, port, timeout=self.connect_timeout)

    def _post(self, body):
        """(status, headers, body bytes); timeouts and network failures become ProviderErrors."""
        path = self.parts.path + (f"?{self.parts.query}" if self.parts.query else "")
        headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "orbix"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        conn = self._connection()
        try:
            conn.connect()
            conn.sock.settimeout(self.read_timeout)  # connect and read have their own limits
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read(MAX_REPLY_BYTES + 1)
            return response.status, response.headers, raw
        except TimeoutError as exc:
            raise ProviderTimeout(
                "The AI provider did not answer in time; try again or raise AI_TIMEOUT_SECONDS"
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            log.warning("AI provider unreachable: %s", exc)
            raise ProviderError("Could not reach the AI provider at AI_BASE_URL") from exc
        finally:
            conn.close()

    def _parse(self, raw):
        if len(raw) > MAX_REPLY_BYTES:
            raise ProviderError("The AI provider's reply was too large")
        try:
            data = json.loads(raw)
            content = data["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ProviderError("The AI provider sent a malformed reply") from exc
        if not isinstance(content, str) or not content.strip():
            raise ProviderError("The AI provider sent an empty reply")
        usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}

        def count(key):
            value = usage.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        return Completion(
            content.strip(),
            data.get("model") if isinstance(data.get("model"), str) else self.model,
            count("prompt_tokens"),
            count("completion_tokens"),
            count("total_tokens"),
        )


NOT_CONFIGURED = (
    "No AI provider is configured. Set AI_BASE_URL (an OpenAI-compatible endpoint such as "
    "https://api.openai.com/v1 or http://localhost:11434/v1 for Ollama), AI_MODEL and, if the "
    "provider needs one, AI_API_KEY, then restart the server."
)


def provider_from_config(config):
    """The configured provider, or ProviderNotConfigured (503) saying how to configure one."""
    if not is_configured(config):
        raise ProviderNotConfigured(NOT_CONFIGURED)
    timeout = float(config.get("AI_TIMEOUT_SECONDS") or 30)
    return OpenAICompatibleProvider(
        config["AI_BASE_URL"],
        config["AI_MODEL"],
        config.get("AI_API_KEY"),
        read_timeout=timeout,
        connect_timeout=min(float(config.get("AI_CONNECT_TIMEOUT_SECONDS") or 5), timeout),
        backoff=float(config.get("AI_RETRY_BACKOFF_SECONDS", 0.5)),
    )


def is_configured(config):
    return bool(config.get("AI_BASE_URL") and config.get("AI_MODEL"))
