"""Report queries (validated: every bad parameter is a 422 naming it) and response shapes.

Money figures are maps ``{currency: amount}`` in major units, never summed across
currencies; hours are rounded to hundredths (``seconds`` is exact).
"""

from marshmallow import fields, validate

from ..common.fields import CalendarDate, TimeZoneName
from ..common.schemas import BaseSchema, DateRangeQueryMixin

FORMATS = ("json", "csv")
MONEY = {
    "description": 'Amounts per currency in major units, e.g. {"EUR": 120.5, "USD": 30}',
    "example": {"EUR": 120.5, "USD": 30},
}


def money_map(description=None):
    metadata = {**MONEY, "description": description} if description else MONEY
    return fields.Dict(keys=fields.String(), values=fields.Raw(), metadata=metadata)


class FormatQuery(BaseSchema):
    format = fields.String(
        load_default="json", validate=validate.OneOf(FORMATS), metadata={"description": "json (default) or csv"}
    )


class DashboardQuerySchema(FormatQuery):
    tz = TimeZoneName(
        metadata={"description": "IANA zone for this week and this month (default: your settings.timezone, else UTC)"}
    )


class RangeQuery(FormatQuery, DateRangeQueryMixin):
    """``from``/``to`` default to the last 12 calendar months up to today in ``tz``."""


class RevenueQuerySchema(RangeQuery):
    group = fields.String(load_default="month", validate=validate.OneOf(("month", "week", "day")))


class HoursQuerySchema(RangeQuery):
    group = fields.String(load_default="project", validate=validate.OneOf(("project", "client", "day", "week")))


class ClientsQuerySchema(RangeQuery):
    pass


class AgingQuerySchema(FormatQuery):
    as_of = CalendarDate(metadata={"description": "Age invoices as of this date (default today, UTC)"})


class TallySchema(BaseSchema):
    entries = fields.Integer()
    seconds = fields.Integer()
    hours = fields.Raw()
    billable_seconds = fields.Integer()
    billable_hours = fields.Raw()
    billable_share = fields.Float(allow_none=True, metadata={"description": "billable / tracked time, 0..1"})
    value = money_map("Billable value at each entry's effective rate, per currency")


class WindowSchema(BaseSchema):
    from_ = fields.String(data_key="from", attribute="from", metadata={"description": "First day of the window used"})
    to = fields.String()
    tz = fields.String()


class RevenuePeriodSchema(BaseSchema):
    period = fields.String(metadata={"example": "2026-03"})
    start = fields.String()
    end = fields.String()
    payments = fields.Integer(metadata={"description": "Payments received in the period, all currencies"})
    payments_by_currency = fields.Dict(keys=fields.String(), values=fields.Integer())
    received = money_map()
    credited = money_map("Credit notes dated in the period, as negative amounts, per currency")


class RevenueSchema(WindowSchema):
    group = fields.String()
    periods = fields.List(fields.Nested(RevenuePeriodSchema))
    total = money_map()
    credited = money_map("Credit notes dated in the window, as negative amounts, per currency")
    expenses = money_map("Expenses dated in the window (everything spent), per currency")
    profit = money_map("Cash basis: payments received (total) minus expenses, per currency (any currency of either)")


class HoursGroupSchema(TallySchema):
    key = fields.String(allow_none=True, metadata={"description": "project/client id (null: none), or the period"})
    label = fields.String()
    start = fields.String()
    end = fields.String()


class HoursSchema(WindowSchema):
    group = fields.String()
    groups = fields.List(fields.Nested(HoursGroupSchema))
    total = fields.Nested(TallySchema)


class AgingInvoiceSchema(BaseSchema):
    _id = fields.String()
    invoice_number = fields.String()
    client_id = fields.String()
    client = fields.String(allow_none=True)
    status = fields.String()
    due_date = fields.String()
    days_overdue = fields.Integer()
    currency = fields.String()
    balance_due = fields.Raw()


class AgingBucketSchema(BaseSchema):
    bucket = fields.String(metadata={"description": "current, 1-30, 31-60, 61-90 or 90+ days past due"})
    count = fields.Integer()
    balance_due = money_map()
    invoices = fields.List(fields.Nested(AgingInvoiceSchema))


class AgingSchema(BaseSchema):
    as_of = fields.String()
    buckets = fields.List(fields.Nested(AgingBucketSchema))
    total = money_map()


class ClientRowSchema(BaseSchema):
    client_id = fields.String(allow_none=True)
    client = fields.String()
    invoiced = money_map("Issued (not void) in the window, less credit notes dated in the window, per currency")
    credited = money_map("Credit notes dated in the window, as negative amounts, per currency")
    paid = money_map()
    outstanding = money_map()
    hours = fields.Raw()
    billable_hours = fields.Raw()
    value = money_map()
    effective_hourly_rate = money_map(
        "Invoiced amount (issued in the window, not void) / billable hours tracked in the window, per currency"
    )


class ClientsSchema(WindowSchema):
    clients = fields.List(fields.Nested(ClientRowSchema))


class CountsSchema(BaseSchema):
    total = fields.Integer()
    active = fields.Integer()


class StatusCountsSchema(BaseSchema):
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Integer()


class RunningTimerSchema(BaseSchema):
    _id = fields.String()
    description = fields.String(allow_none=True)
    start_time = fields.String()
    elapsed_seconds = fields.Integer()
    project_id = fields.String(allow_none=True)
    project = fields.String(allow_none=True)
    client_id = fields.String(allow_none=True)


class DashboardSchema(BaseSchema):
    tz = fields.String()
    clients = fields.Nested(CountsSchema)
    projects = fields.Nested(CountsSchema)
    invoices = fields.Nested(StatusCountsSchema, metadata={"description": "Effective statuses (overdue computed)"})
    contracts = fields.Nested(StatusCountsSchema)
    resumes = fields.Integer()
    outstanding = money_map()
    overdue = money_map()
    revenue = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        metadata={"description": "this_month / last_month received, per currency"},
    )
    hours = fields.Dict(
        keys=fields.String(), values=fields.Nested(TallySchema), metadata={"description": "this_week / this_month"}
    )
    running_timer = fields.Nested(RunningTimerSchema, allow_none=True)
    unbilled = fields.Nested(
        TallySchema, metadata={"description": "Billable, stopped, not yet invoiced time and its value"}
    )
