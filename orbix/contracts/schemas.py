"""Contract and template bodies: what may be written, and what is rendered."""

from marshmallow import ValidationError, fields, validate, validates_schema

from ..common.fields import AwareDateTime, CalendarDate, Currency, EmailAddress, Money, ObjectIdField, Text
from ..common.schemas import BaseSchema, DocumentSchema, ListQuerySchema
from ..mail.schemas import MailMessageSchema
from .rendering import MAX_CONTENT, VARIABLE_NAME, VARIABLE_TYPES, placeholder_limit

STATUSES = ("draft", "sent", "partially_signed", "signed", "active", "completed", "terminated", "cancelled",
            "declined", "expired")
MAX_TEMPLATE_BODY = 100_000
MAX_RECIPIENTS = 10


class VariablesField(fields.Dict):
    """Template variable values by name: text, numbers or null (checked per type when rendering)."""

    def __init__(self, **kwargs):
        super().__init__(
            keys=fields.String(validate=validate.Length(min=1, max=50)),
            values=fields.Raw(allow_none=True),
            validate=validate.Length(max=100),
            metadata={"description": "Variable values by name; see GET /api/contracts/templates",
                      "example": {"scope": "Design and build a marketing site", "fee": 4800}},
            **kwargs,
        )


class TermsSchema(BaseSchema):
    """What a rendering depends on: template, variables and the contract's terms."""

    template = fields.String(validate=validate.Length(min=1, max=50),
                             metadata={"description": "Built-in template key, or the _id of one of your templates"})
    variables = VariablesField()
    client_id = ObjectIdField(metadata={"description": "Party B (your client)"})
    project_id = ObjectIdField(allow_none=True, metadata={"description": "Defaults scope, value and dates"})
    start_date = CalendarDate(allow_none=True)
    end_date = CalendarDate(allow_none=True)
    value = Money(allow_none=True)
    currency = Currency(allow_none=True)

    @validates_schema
    def _dates_in_order(self, data, **kwargs):
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError("Must not be before start_date.", "end_date")


class RenderSchema(TermsSchema):
    template = fields.String(required=True, validate=validate.Length(min=1, max=50))


class RenderedSchema(BaseSchema):
    template = fields.String()
    title = fields.String()
    variables = fields.Dict()
    content = fields.String()


class ContractWriteSchema(TermsSchema, DocumentSchema):
    client_id = ObjectIdField(required=True, metadata={"description": "Party B (your client)"})
    title = Text(min_length=1, max_length=200, metadata={"description": "Defaults to the template's title"})
    content = Text(min_length=1, max_length=MAX_CONTENT, metadata={"description": "Rendered text (or send template)"})
    countersign_required = fields.Boolean(
        metadata={"description": "Signed only once you countersign too (default false: the client's signature does)"}
    )
    allow_any_signer = fields.Boolean(
        metadata={"description": "Accept any signer's e-mail (default false: only an address the link was sent to)"}
    )

    @validates_schema
    def _content_or_template(self, data, **kwargs):
        if self.partial:
            return
        if "content" not in data and "template" not in data:
            raise ValidationError("Provide content, or a template with variables.", "content")
        if "title" not in data and "template" not in data:
            raise ValidationError("Missing data for required field.", "title")


class ContractUpdateSchema(ContractWriteSchema):
    """Partial update. Terms change only while draft; status follows the lifecycle."""

    status = fields.String(validate=validate.OneOf(STATUSES))


class SignerSchema(BaseSchema):
    name = fields.String()
    email = fields.String()
    ip = fields.String(
        allow_none=True, metadata={"description": "The signer's address; null when the server did not see one"}
    )
    user_agent = fields.String()
    timezone = fields.String(allow_none=True, metadata={"description": "The signer's IANA time zone, when given"})
    at = AwareDateTime(allow_none=True)


class DeclinerSchema(SignerSchema):
    reason = fields.String()


class ContractSchema(ContractWriteSchema):
    project_id = ObjectIdField(allow_none=True)
    template = fields.String(allow_none=True)
    variables = fields.Dict(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUSES))
    content_sha256 = fields.String(allow_none=True, metadata={"description": "SHA-256 of the text sent for signing"})
    sent_at = AwareDateTime(allow_none=True)
    signing_expires_at = AwareDateTime(allow_none=True, attribute="signing.expires_at")
    signed_at = AwareDateTime(allow_none=True)
    signed_by = fields.Nested(SignerSchema, allow_none=True)
    viewed_at = AwareDateTime(allow_none=True, metadata={"description": "First opening of the signing link"})
    countersigned_at = AwareDateTime(allow_none=True)
    countersigned_by = fields.Nested(SignerSchema, allow_none=True)
    declined_at = AwareDateTime(allow_none=True)
    declined_by = fields.Nested(DeclinerSchema, allow_none=True)
    expired_at = AwareDateTime(allow_none=True)


class ContractListQuerySchema(ListQuerySchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    client_id = ObjectIdField()
    project_id = ObjectIdField()


class SendSchema(BaseSchema):
    expires_in_days = fields.Integer(load_default=14, validate=validate.Range(min=1, max=90))
    to = fields.List(EmailAddress(), validate=validate.Length(min=1, max=MAX_RECIPIENTS),
                     metadata={"description": "E-mail the link to these addresses (default: the client's)"})
    message = Text(max_length=10000, allow_none=True,
                   metadata={"description": "Your words in the e-mail; with `to` or `message` the link is e-mailed"})


class SigningLinkSchema(BaseSchema):
    signing_url = fields.String(required=True, metadata={"description": "The signing page /c/<token>"})
    expires_at = AwareDateTime(required=True)
    contract = fields.Nested(ContractSchema)
    message = fields.Nested(MailMessageSchema, allow_none=True,
                            metadata={"description": "The queued e-mail carrying another link, when e-mailed"})


class CountersignSchema(BaseSchema):
    name = Text(required=True, min_length=1, max_length=200, metadata={"description": "Your name as you sign"})
    timezone = Text(max_length=64, allow_none=True, metadata={"description": "Your IANA time zone (optional)"})


class ContractEventSchema(BaseSchema):
    _id = ObjectIdField()
    contract_id = ObjectIdField()
    type = fields.String(metadata={"description": "created, sent, viewed, signed, countersigned, declined, expired"})
    at = AwareDateTime()
    ip = fields.String(allow_none=True)
    user_agent = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    document_sha256 = fields.String(allow_none=True, metadata={"description": "SHA-256 of the text at that moment"})
    signer_timezone = fields.String(allow_none=True)
    details = fields.Dict()


class VariableSpecSchema(BaseSchema):
    name = fields.String(
        required=True, validate=validate.Regexp(VARIABLE_NAME, error="Use lower_snake_case, up to 50 characters.")
    )
    label = Text(max_length=200)
    type = fields.String(load_default="text", validate=validate.OneOf(VARIABLE_TYPES))
    required = fields.Boolean(load_default=True)
    default = Text(max_length=1000, allow_none=True)


class TemplateWriteSchema(DocumentSchema):
    title = Text(required=True, min_length=1, max_length=200)
    description = Text(max_length=1000, allow_none=True)
    body = Text(
        required=True,
        min_length=1,
        max_length=MAX_TEMPLATE_BODY,
        validate=placeholder_limit,
        metadata={"description": "Text with {{ variable }} placeholders (at most 500)"},
    )
    variables = fields.List(
        fields.Nested(VariableSpecSchema),
        validate=validate.Length(max=100),
        metadata={"description": "Omit to declare every placeholder as a required text variable"},
    )

    @validates_schema
    def _unique_names(self, data, **kwargs):
        names = [variable.get("name") for variable in data.get("variables") or []]
        if len(names) != len(set(names)):
            raise ValidationError("Variable names must be unique.", "variables")


class TemplateSchema(TemplateWriteSchema):
    key = fields.String()
    builtin = fields.Boolean()
    variables = fields.List(fields.Nested(VariableSpecSchema))


class PublicPartySchema(BaseSchema):
    name = fields.String()
    representative = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    address = fields.String(allow_none=True)


class PublicContractSchema(BaseSchema):
    title = fields.String()
    status = fields.String()
    parties = fields.Dict(keys=fields.String(), values=fields.Nested(PublicPartySchema))
    content = fields.String()
    content_sha256 = fields.String()
    value = Money(allow_none=True)
    currency = fields.String(allow_none=True)
    start_date = CalendarDate(allow_none=True)
    end_date = CalendarDate(allow_none=True)
    expires_at = AwareDateTime()


class SignSchema(BaseSchema):
    name = Text(required=True, min_length=1, max_length=200)
    email = EmailAddress(required=True)
    timezone = Text(max_length=64, allow_none=True, metadata={"description": "The signer's IANA time zone"})
    agree = fields.Boolean(required=True, metadata={"description": "Must be true: the signer accepts the text"})

    @validates_schema
    def _agreed(self, data, **kwargs):
        if data.get("agree") is not True:
            raise ValidationError("You must agree to the contract to sign it.", "agree")


class DeclineSchema(BaseSchema):
    name = Text(required=True, min_length=1, max_length=200)
    email = EmailAddress(required=True)
    timezone = Text(max_length=64, allow_none=True, metadata={"description": "The signer's IANA time zone"})
    reason = Text(required=True, min_length=1, max_length=2000)


class DeclinedSchema(BaseSchema):
    message = fields.String()
    status = fields.String()
    declined_at = AwareDateTime()


class SignedSchema(BaseSchema):
    message = fields.String()
    status = fields.String(metadata={"description": "signed, or partially_signed while the countersignature is due"})
    signed_at = AwareDateTime()
    content_sha256 = fields.String()
    signed_by = fields.Nested(SignerSchema(only=("name", "email")))
