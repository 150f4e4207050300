"""The message log as JSON."""

from marshmallow import Schema, fields

from ..common.fields import AwareDateTime, ObjectIdField


class MailAttachmentSchema(Schema):
    type = fields.String()
    filename = fields.String()


class MailMessageSchema(Schema):
    _id = ObjectIdField()
    invoice_id = ObjectIdField(allow_none=True)
    estimate_id = ObjectIdField(allow_none=True, metadata={"description": "Set on e-mails about an estimate"})
    kind = fields.String()
    status = fields.String(metadata={"description": "queued, sent, failed or cancelled (no longer wanted when "
                                                 "its turn came: a reminder for an invoice paid meanwhile)"})
    to = fields.List(fields.String())
    cc = fields.List(fields.String())
    reply_to = fields.String(allow_none=True)
    subject = fields.String()
    attachments = fields.List(fields.Nested(MailAttachmentSchema))
    attempts = fields.Integer()
    error = fields.String(
        allow_none=True, metadata={"description": "the last attempt's error, or why the message was cancelled"}
    )
    queued_at = AwareDateTime()
    sent_at = AwareDateTime(allow_none=True)
    failed_at = AwareDateTime(allow_none=True)
    created_at = AwareDateTime()
    updated_at = AwareDateTime()
