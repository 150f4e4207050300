"""Request and response bodies for /api/auth."""

from marshmallow import ValidationError, fields, validate, validates

from ..common.fields import (
    Bic,
    Currency,
    EmailAddress,
    HexColor,
    Iban,
    Language,
    LocaleName,
    Money,
    ObjectIdField,
    Text,
)
from ..common.schemas import BaseSchema
from ..einvoice.fields import PartyFieldsMixin, TaxCategory
from ..reminders import schedule
from .passwords import MAX_PASSWORD_BYTES


def validate_password(value):
    if len(value) < 8:
        raise ValidationError("Must be at least 8 characters.")
    if len(value.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise ValidationError(f"Must be at most {MAX_PASSWORD_BYTES} bytes in UTF-8 (bcrypt's limit).")


class Email(EmailAddress):
    """An email address, trimmed and lower-cased."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.strip().lower()
        return super()._deserialize(value, attr, data, **kwargs)


class RegisterSchema(BaseSchema):
    name = Text(required=True, min_length=1, max_length=200)
    email = Email(required=True)
    password = fields.String(required=True, load_only=True, validate=validate_password)


class LoginSchema(BaseSchema):
    email = Email(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))


class UserSchema(BaseSchema):
    id = fields.String(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    avatar = fields.String(allow_none=True)


class AuthResponseSchema(BaseSchema):
    user = fields.Nested(UserSchema, required=True)
    token = fields.String(required=True, metadata={"description": "Access token (Bearer)"})
    refresh_token = fields.String(required=True)


class RefreshResponseSchema(BaseSchema):
    token = fields.String(required=True)


class LogoutSchema(BaseSchema):
    refresh_token = fields.String(
        validate=validate.Length(max=4096), metadata={"description": "Also revoke this refresh token"}
    )


class ReminderSchedule(fields.List):
    """Day offsets from the due date (negative: before it), stored distinct and ascending."""

    MAX_ITEMS = 100  # duplicates collapse, but a list is not read past this

    def __init__(self, **kwargs):
        step = fields.Integer(strict=True, validate=validate.Range(schedule.EARLIEST_STEP, schedule.LATEST_STEP))
        kwargs.setdefault("metadata", {}).update(
            description=f"Days from the due date a reminder goes out (negative: before it), at most "
            f"{schedule.MAX_STEPS} distinct values in [{schedule.EARLIEST_STEP}, {schedule.LATEST_STEP}]; sorted and "
            f"de-duplicated on save; null restores the default {list(schedule.DEFAULT_SCHEDULE)}",
            example=list(schedule.DEFAULT_SCHEDULE),
        )
        super().__init__(step, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list) and len(value) > self.MAX_ITEMS:
            raise ValidationError(f"At most {schedule.MAX_STEPS} days (and {self.MAX_ITEMS} items).")
        if isinstance(value, list) and any(isinstance(step, bool) for step in value):
            raise ValidationError("Days must be whole numbers.")
        steps = schedule.normalised(super()._deserialize(value, attr, data, **kwargs))
        if len(steps) > schedule.MAX_STEPS:
            raise ValidationError(f"At most {schedule.MAX_STEPS} different days.")
        return steps


class SettingsSchema(BaseSchema, PartyFieldsMixin):
    """Business details used by invoices and contracts, and how clients are reminded to pay."""

    business_name = Text(max_length=200, allow_none=True)
    address = Text(max_length=1000, allow_none=True)
    tax_id = Text(max_length=100, allow_none=True)
    phone = Text(max_length=50, allow_none=True)
    website = Text(max_length=500, allow_none=True)
    default_currency = Currency(allow_none=True)
    default_hourly_rate = Money(allow_none=True)
    payment_details = Text(max_length=2000, allow_none=True)
    iban = Iban(allow_none=True, metadata={"description": "Shown on public invoice pages, with an EPC (SEPA) QR code "
                                                          "on EUR invoices; stored without spaces"})
    bic = Bic(allow_none=True)
    payment_link = fields.URL(
        allow_none=True,
        schemes={"https"},
        validate=validate.Length(max=2000),
        metadata={"description": "https link where clients pay you online (a Stripe Payment Link, PayPal.me ...): "
                                 "the 'Pay online' button of public invoice pages"},
    )
    invoice_prefix = Text(
        max_length=20,
        allow_none=True,
        validate=validate.Regexp(r"^[A-Za-z0-9_\-/.#]*$", error="Letters, digits and - _ / . # only."),
    )
    payment_terms = fields.String(
        allow_none=True, validate=validate.OneOf(["Due on receipt", "Net 15", "Net 30", "Net 60"])
    )
    estimate_valid_days = fields.Integer(
        allow_none=True, validate=validate.Range(min=1, max=365),
        metadata={"description": "Days a new estimate stays valid when it names no valid_until (default 30)"},
    )
    timezone = Text(max_length=64, allow_none=True)
    reminders_enabled = fields.Boolean(
        allow_none=True, metadata={"description": "E-mail payment reminders to clients (default true)"}
    )
    reminder_schedule = ReminderSchedule(allow_none=True)
    thank_you_enabled = fields.Boolean(
        allow_none=True, metadata={"description": "Thank the client by e-mail when an invoice is paid (default true)"}
    )
    small_business = fields.Boolean(allow_none=True, metadata={
        "description": "Small business exempt from VAT (Kleinunternehmer, § 19 UStG): e-invoices without tax are "
                       "category E with the legal text (default false)"})
    default_tax_category = TaxCategory(allow_none=True, metadata={
        "description": "VAT category of invoices without tax (Z, E, AE, K, G, O) unless the invoice says; "
                       "default: E when small_business, else Z"})
    default_tax_exemption_reason = Text(max_length=500, allow_none=True, metadata={
        "description": "Exemption reason printed with default_tax_category (defaults by category)"})
    language = Language(
        allow_none=True, metadata={"description": "Language of documents and e-mails to clients who have none of "
                                                  "their own (default en)"}
    )
    locale = LocaleName(
        allow_none=True, metadata={"description": "Money and date formats (de_DE, de_CH, pt_BR ...) for clients who "
                                                  "have none of their own; default: the language's usual one"}
    )
    accent_color = HexColor(
        allow_none=True, metadata={"description": "#RRGGBB for headings and rules of PDFs and public pages"}
    )
    logo_file_id = ObjectIdField(
        allow_none=True, metadata={"description": "A file of yours uploaded with purpose logo (JPEG or PNG), printed "
                                                  "on PDFs and shown on public pages"}
    )

    @validates("timezone")
    def _known_zone(self, value, **kwargs):
        from ..common.timeutil import zone

        if value:
            try:
                zone(value)
            except ValueError as exc:
                raise ValidationError("Unknown time zone.") from exc


class ProfileSchema(BaseSchema):
    id = fields.String(required=True)
    _id = fields.String(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    avatar = fields.String(allow_none=True)
    settings = fields.Nested(SettingsSchema, required=True)
    created_at = fields.String()
    updated_at = fields.String()


class ProfileUpdateSchema(SettingsSchema):
    """Name, avatar and settings; settings may be sent flat or under ``settings``."""

    name = Text(min_length=1, max_length=200)
    avatar = fields.URL(allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=2000))
    settings = fields.Nested(SettingsSchema)


class PasswordChangeSchema(BaseSchema):
    current_password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))
    new_password = fields.String(required=True, load_only=True, validate=validate_password)


class AccountDeleteSchema(BaseSchema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))


class AccountExportSchema(BaseSchema):
    exported_at = fields.String(required=True)
    user = fields.Dict(required=True)
    data = fields.Dict(required=True, metadata={"description": "Collection name -> the account's documents"})
