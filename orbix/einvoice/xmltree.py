"""A little help writing XML in an order a schema dictates (lxml)."""

from decimal import Decimal

from lxml import etree


class Writer:
    """Elements in namespaces given by prefix: ``w.add(parent, "ram:ID", "x", schemeID="VA")``."""

    def __init__(self, namespaces):
        self.namespaces = namespaces

    def qname(self, tag):
        if tag.startswith("{"):  # already qualified (a root in the default namespace)
            return tag
        prefix, local = tag.split(":")
        return f"{{{self.namespaces[prefix]}}}{local}"

    def root(self, tag):
        return etree.Element(self.qname(tag), nsmap=self.namespaces)

    def add(self, parent, tag, text=None, **attributes):
        element = etree.SubElement(parent, self.qname(tag), {k: str(v) for k, v in attributes.items()})
        if text is not None:
            element.text = str(text)
        return element

    def optional(self, parent, tag, text, **attributes):
        """An element only when ``text`` has a value (EN 16931 forbids empty elements)."""
        if text not in (None, ""):
            self.add(parent, tag, text, **attributes)

    def optionals(self, parent, pairs):
        """``optional`` for each (tag, text), in order."""
        for tag, text in pairs:
            self.optional(parent, tag, text)


def number(value):
    """A quantity, price or percent as plain text without trailing zeros (``2.5``, ``19``, ``0``)."""
    value = Decimal(value)
    return format(value.normalize(), "f") if value else "0"


def serialise(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
