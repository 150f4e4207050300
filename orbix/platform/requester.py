"""Who sent this request, as an audit trail records it: the client IP as the app sees it
(behind ``PROXY_FIX_HOPS`` proxies, ProxyFix has already put the client's address here) and
the user agent."""

from flask import request

USER_AGENT_MAX = 300


def requester():
    return {"ip": request.remote_addr, "user_agent": (request.headers.get("User-Agent") or "")[:USER_AGENT_MAX]}
