"""The message catalogue: every language says every message, with the same placeholders as
English (a translation that dropped ``{amount}`` would silently lose the amount)."""

import string

import pytest

from orbix.locale import LANGUAGES
from orbix.locale.catalogue import EN, MESSAGES


def _placeholders(text):
    return sorted(name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_every_message_with_the_same_placeholders(language):
    messages = MESSAGES[language]
    assert set(messages) == set(EN)
    for key, text in messages.items():
        assert _placeholders(text) == _placeholders(EN[key]), (language, key)
        assert text.strip() == text and "  " not in text, (language, key)
