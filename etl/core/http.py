"""HTTP to third parties (Spotify, ReccoBeats): bounded retries, persisted cool-downs.

5xx answers and read timeouts are retried a few times with jittered backoff (urllib3's
Retry); a connection that cannot be made is tried once more, at once.
A 429 is never slept through for long: a short `Retry-After` is waited once, a longer one
becomes a cool-down in the state store that every caller checks before calling.
A service that cannot be reached at all (refused, no DNS, timed out after those retries)
is off for the rest of the run: an offline machine pays for the retries once, not once per
request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from etl.core.clock import Clock
from etl.core.settings import Settings
from etl.core.state import CoolDown, CoolDownReason, StateStore

if TYPE_CHECKING:
    import requests

logger = logging.getLogger(__name__)
# urllib3 warns at each retry of a failed connection; `Reachability` reports the outcome,
# once per service and run.
logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)

CONNECT_TIMEOUT_S = 5
SHORT_WAIT_S = 3  # a Retry-After up to this is waited in place, once
QUOTA_EXCEEDED = "QUOTA_EXCEEDED"


class ServiceError(Exception):
    """A third-party answer we cannot use; `status` is its HTTP status."""

    def __init__(self, service: str, status: int, message: str) -> None:
        super().__init__(f"{service} answered {status}: {message}")
        self.service = service
        self.status = status
        self.message = message


class ServiceUnreachable(ServiceError):
    """No answer: connection refused, no DNS, or timed out after the bounded retries."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(service, 0, f"unreachable ({reason})")
        self.reason = reason


def _unreachable_reason(error: requests.RequestException) -> str:
    """`ConnectionError: [Errno 111] Connection refused`: the kind of failure and its root
    cause, without urllib3's wrappers (which repeat the URL and the pool)."""
    cause: BaseException = error
    while True:
        inner = cause.__cause__ or getattr(cause, "reason", None)  # MaxRetryError's reason
        if inner is None:
            inner = next((arg for arg in cause.args if isinstance(arg, BaseException)), None)
        if not isinstance(inner, BaseException):
            return f"{type(error).__name__}: {cause}"
        cause = inner


class Reachability:
    """The services one run found unreachable. The first `ServiceUnreachable` switches its
    service off for the rest of the run, with one warning; later requests to it fail at
    once, without a connection attempt. Each run has its own, so the next run tries again:
    a `PipelineContext` shares one among its callers; a `Caller` given none (an ingest
    run's) has one of its own."""

    def __init__(self) -> None:
        self._reasons: dict[str, str] = {}  # service -> why it could not be reached

    def check(self, service: str) -> None:
        """Raise `ServiceUnreachable` if `service` was found unreachable in this run."""
        reason = self._reasons.get(service)
        if reason is not None:
            raise ServiceUnreachable(service, reason)

    def switch_off(self, unreachable: ServiceUnreachable) -> None:
        if unreachable.service in self._reasons:
            return
        self._reasons[unreachable.service] = unreachable.reason
        logger.warning(
            "%s is unreachable (%s): it is off for the rest of this run",
            unreachable.service,
            unreachable.reason,
            extra={"service": unreachable.service},
        )


class BudgetSpent(Exception):
    """This run may send no more requests to the service; the rest waits for the next."""


class CoolingDown(Exception):
    """A cool-down is in force for `service`; nothing was sent."""

    def __init__(self, cool_down: CoolDown) -> None:
        super().__init__(
            f"{cool_down.service} is cooling down ({cool_down.reason}) until "
            f"{cool_down.until.isoformat()}"
        )
        self.cool_down = cool_down


def retrying_session(
    retry_statuses: tuple[int, ...] = (500, 502, 503, 504),
) -> requests.Session:
    # Imported here, not above: the API and most pipeline steps import this module for
    # its errors and `Reachability`, and never send a request (requests costs ~70 ms).
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(
        total=3,
        # A refused connection or a failed name lookup is seldom cured by waiting: one
        # immediate retry (urllib3 waits only before the second), then `Reachability`.
        connect=1,
        read=3,
        status=3,
        status_forcelist=retry_statuses,
        backoff_factor=0.5,
        backoff_jitter=0.5,
        respect_retry_after_header=False,  # 429 is handled by `Caller`, never slept on
        raise_on_status=False,
    )
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    return session


def error_message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return str(error.get("message", error))
        if isinstance(error, str):
            return str(body.get("error_description", error))
    return str(body)[:200]


def _quota_exceeded(response: requests.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    error = body.get("error")
    nested_reason = error.get("reason") if isinstance(error, dict) else None
    return QUOTA_EXCEEDED in (body.get("reason"), nested_reason)


class Caller:
    """Sends requests to one service, honoring and recording its cool-downs."""

    def __init__(
        self,
        service: str,
        state: StateStore,
        *,
        clock: Clock,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        budget: int | None = None,
        read_timeout_s: float = 15,
        reachability: Reachability | None = None,
    ) -> None:
        self.service = service
        self.budget = budget
        self.timeout = (CONNECT_TIMEOUT_S, read_timeout_s)
        self.state = state
        self.session = session or retrying_session()
        self.clock = clock
        self.sleep = sleep
        self.reachability = reachability or Reachability()
        self.calls = 0  # requests actually sent, for budgets and benchmarks

    @classmethod
    def configured(
        cls,
        service: str,
        state: StateStore,
        settings: Settings,
        *,
        clock: Clock,
        budget: int | None = None,
        reachability: Reachability | None = None,
        session: requests.Session | None = None,
    ) -> Caller:
        return cls(
            service,
            state,
            clock=clock,
            session=session,
            budget=budget,
            read_timeout_s=settings.http_read_timeout_s,
            reachability=reachability,
        )

    def check_cool_down(self) -> None:
        cool_down = self.state.cool_down(self.service)
        if cool_down is not None and cool_down.active(self.clock()):
            raise CoolingDown(cool_down)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send (waiting out one brief 429); on a longer 429 record a cool-down and raise."""
        self.check_cool_down()
        response = self._send(method, url, **kwargs)
        if response.status_code == 429 and not _quota_exceeded(response):
            retry_after = _retry_after_seconds(response)
            if retry_after <= SHORT_WAIT_S:
                self.sleep(retry_after)
                response = self._send(method, url, **kwargs)
        if response.status_code == 429:
            self._record_cool_down(response)
        return response

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        import requests  # already loaded by the session; see `retrying_session`

        self.reachability.check(self.service)
        if self.budget is not None and self.calls >= self.budget:
            raise BudgetSpent(f"{self.service}: this run's {self.budget} calls are spent")
        self.calls += 1
        try:
            return self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            unreachable = ServiceUnreachable(self.service, _unreachable_reason(error))
            self.reachability.switch_off(unreachable)
            raise unreachable from error

    def _record_cool_down(self, response: requests.Response) -> None:
        retry_after = _retry_after_seconds(response)
        now = self.clock()
        reason: CoolDownReason = "quota_exceeded" if _quota_exceeded(response) else "rate_limited"
        cool_down = CoolDown(self.service, now + timedelta(seconds=retry_after), reason, now)
        self.state.set_cool_down(cool_down)
        logger.warning(
            "%s answered 429 (%s); cooling down for %s s until %s",
            self.service,
            reason,
            retry_after,
            cool_down.until.isoformat(),
            extra={"service": self.service, "cool_down_reason": reason},
        )
        raise CoolingDown(cool_down)


def _retry_after_seconds(response: requests.Response) -> int:
    try:
        return max(1, int(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 60  # an unreadable header: wait a minute rather than hammer
