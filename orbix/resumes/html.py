"""The resume as one self-contained HTML page (inline CSS, no scripts, no external files).

Jinja2 autoescaping is on for every value, and links only come from
``view.safe_url``, so user text can never inject markup or a ``javascript:`` link.
A restrictive Content-Security-Policy meta tag is a second line of defence.
"""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from .pdf import CreativePdf

_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

BASE_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#eef0f3;color:#1f2328;font:14px/1.5 "DejaVu Sans",Helvetica,Arial,sans-serif}
.page{max-width:840px;margin:24px auto;background:#fff;padding:40px 48px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{margin:0;font-size:30px;line-height:1.2}
h2{font-size:14px;text-transform:uppercase;letter-spacing:.04em;margin:22px 0 8px}
h3{margin:0;font-size:15px}
.headline{margin:4px 0 0;font-size:17px}
.contacts,.items{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-wrap:wrap;gap:4px 16px}
.contacts .label{font-size:11px;text-transform:uppercase;opacity:.65}
a{color:inherit}
.entry{margin-bottom:12px}
.entry-head{display:flex;justify-content:space-between;gap:12px;align-items:baseline}
.dates{white-space:nowrap;color:#666;font-size:13px}
.subtitle{margin:0;color:#555;font-style:italic}
.text{margin:4px 0;white-space:pre-line}
ul{margin:4px 0;padding-left:20px}
.items li{background:#f2f4f7;border-radius:4px;padding:1px 8px}
@media print{body{background:#fff}.page{box-shadow:none;margin:0;max-width:none}}
"""

THEMES = {
    "modern": "h1{color:#111}.headline,h2{color:#2563eb}h2{border-bottom:2px solid #2563eb;padding-bottom:3px}",
    "classic": (
        'body{font-family:"DejaVu Serif",Georgia,"Times New Roman",serif}.masthead{text-align:center}'
        ".contacts{justify-content:center}.masthead{border-bottom:2px solid #000;padding-bottom:12px}"
        "h2{text-align:center;border-bottom:1px solid #000;padding-bottom:3px}.headline{font-style:italic}"
    ),
    "creative": (
        ".page{padding:0;display:block}.masthead{background:#0d9488;color:#fff;padding:32px 40px}"
        ".columns{display:grid;grid-template-columns:260px 1fr}"
        ".side{background:#0d9488;color:#fff;padding:8px 24px 32px}"
        ".side h2{color:#fff;border-bottom:1px solid rgba(255,255,255,.6)}.side .items{display:block}"
        ".side .items li{background:none;padding:0}.side .subtitle,.side .dates{color:#e6fffb}"
        ".main{padding:8px 40px 32px}.main h2{color:#0d9488}"
    ),
    "minimal": (
        "body{color:#333}.page{padding:56px 64px}h1{font-weight:400}.headline{color:#777}"
        "h2{font-weight:400;color:#888;font-size:12px;letter-spacing:.2em}.items li{background:none;padding:0}"
    ),
    "executive": (
        ".page{padding:0}.masthead{background:#16223a;color:#fff;padding:36px 48px}.headline{color:#bf9640}"
        '.main{padding:16px 48px 40px;font-family:"DejaVu Serif",Georgia,serif}'
        "h2{color:#16223a;font-family:Helvetica,Arial,sans-serif}h2::after{content:'';display:block;width:60px;"
        "border-bottom:3px solid #bf9640;margin-top:4px}"
    ),
}


def render_html(view, template):
    """A complete HTML document for a resume view in one of the five designs."""
    side, main = view.split(CreativePdf.side_keys)
    return _env.get_template("resume.html").render(
        view=view,
        template=template,
        css=BASE_CSS + THEMES[template],
        two_columns=template == "creative",
        side=side,
        main=main,
    )
