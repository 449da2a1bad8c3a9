"""Sign-in, 2FA, refresh-token rotation, logout, password change, activation and reset.

Refresh tokens rotate on every use. Presenting one that was already rotated (a replay)
revokes its whole family (RFC 9700 reuse detection). Of two concurrent refreshes with one
token (two tabs), one wins and the other gets 401 `token_superseded`: the family stays, so the
winner's new tokens keep working. Refusals that must be remembered, such as a wrong 2FA code or a revoked
family, are raised with `keep_changes` so the transaction still commits.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Company, RefreshToken, TwoFactorCode, User
from models.enums import TwoFactorMethod
from server import audit
from server.audit import AuditActor
from server.auth.dependencies import RequestMeta
from server.auth.links import LinkState, activation_state, reset_link, reset_state
from server.auth.principal import Principal, account_usable, role_names
from server.auth.principals import user_scope
from server.auth.sessions import end_sessions
from server.auth.tokens import RefreshSecret, TokenError
from server.context import AppContext
from server.domains.auth.schemas import Me, TokenPair, TwoFactorChallenge
from server.domains.companies.services import company_out
from server.domains.users.events import AccessRevoked
from server.domains.users.services import user_out
from server.errors import Unauthorized
from server.events import record
from server.mail import MailRequested
from server.ratelimit import Limit

LOGIN_PER_ACCOUNT = Limit(10, 300)
LOGIN_PER_IP = Limit(50, 300)
VERIFY_PER_ACCOUNT = Limit(10, 300)
VERIFY_PER_IP = Limit(50, 300)
REFRESH_PER_SESSION = Limit(30, 60)
REFRESH_PER_IP = Limit(120, 60)
RESET_PER_ACCOUNT = Limit(3, 900)
RESET_PER_IP = Limit(20, 900)

TWO_FACTOR_TTL = timedelta(minutes=10)
TWO_FACTOR_MAX_ATTEMPTS = 5


def now() -> datetime:
    return datetime.now(UTC)


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"
    detail = "The email or password is wrong."


class AccountDisabled(Unauthorized):
    code = "account_disabled"
    detail = "This account cannot sign in."


class AuthService:
    def __init__(self, db: AsyncSession, ctx: AppContext, meta: RequestMeta) -> None:
        self.db = db
        self.ctx = ctx
        self.meta = meta

    # --- sign-in -------------------------------------------------------------------------

    async def login(self, email: str, password: str) -> TokenPair | TwoFactorChallenge:
        email = email.strip().lower()
        await self.ctx.limiter.check(f"login:ip:{self.meta.ip}", LOGIN_PER_IP)
        await self.ctx.limiter.check(f"login:account:{email}", LOGIN_PER_ACCOUNT)
        user = await self.db.scalar(select(User).where(func.lower(User.email) == email))
        if not self.ctx.passwords.verify(user.hashed_password if user else None, password) or user is None:
            audit.note(self.db, "auth.login_failed", "users", user.id if user else None, {"email": email})
            raise InvalidCredentials(keep_changes=True)
        self._act_as(user)
        await self._require_usable(user)
        if user.require_2fa:
            return await self._challenge(user)
        return await self._sign_in(user)

    async def verify_two_factor(self, challenge_token: str, code: str) -> TokenPair:
        await self.ctx.limiter.check(f"2fa:ip:{self.meta.ip}", VERIFY_PER_IP)
        user_id, code_id = self.ctx.signer.read_purpose_token(challenge_token, "2fa")
        await self.ctx.limiter.check(f"2fa:account:{user_id}", VERIFY_PER_ACCOUNT)
        entry = await self.db.get(TwoFactorCode, int(code_id), with_for_update=True)
        if entry is None or entry.user_id != user_id or entry.is_used or entry.expires_at <= now():
            raise Unauthorized("This code has expired; sign in again for a new one.", code="code_expired")
        if entry.attempts >= TWO_FACTOR_MAX_ATTEMPTS:
            raise Unauthorized("Too many wrong codes; sign in again for a new one.", code="code_locked")
        entry.attempts += 1
        if not hmac.compare_digest(entry.code, code):
            raise Unauthorized("The code is wrong.", code="invalid_code", keep_changes=True)
        entry.is_used = True
        entry.used_at = now()
        user = await self.db.get_one(User, user_id)
        self._act_as(user)
        await self._require_usable(user)
        return await self._sign_in(user)

    async def _challenge(self, user: User) -> TwoFactorChallenge:
        code = f"{secrets.randbelow(1_000_000):06d}"
        entry = TwoFactorCode(
            user_id=user.id, code=code, method=TwoFactorMethod.EMAIL, expires_at=now() + TWO_FACTOR_TTL
        )
        self.db.add(entry)
        await self.db.flush()
        minutes = int(TWO_FACTOR_TTL.total_seconds() // 60)
        record(
            self.db,
            MailRequested(
                to=user.email,
                subject="Your MiraiWorks sign-in code",
                body=f"Your sign-in code is {code}. It is valid for {minutes} minutes and can be used once.",
            ),
        )
        token = self.ctx.signer.purpose_token("2fa", user.id, str(entry.id), TWO_FACTOR_TTL)
        return TwoFactorChallenge(challenge_token=token)

    async def _sign_in(self, user: User, family: str | None = None) -> TokenPair:
        secret = RefreshSecret.issue(family)
        ttl = timedelta(days=self.ctx.settings.refresh_token_days)
        self.db.add(RefreshToken(user_id=user.id, token=secret.stored_value, expires_at=now() + ttl))
        if family is None:
            user.last_login = now()
            audit.label(self.db, user, "auth.login")
        await self.db.flush()
        return TokenPair(
            access_token=self.ctx.signer.access_token(user.id, secret.family),
            refresh_token=secret.client_value,
            expires_in=int(self.ctx.signer.access_ttl.total_seconds()),
            user=user_out(user, await role_names(self.db, user.id)),
        )

    # --- refresh and logout ----------------------------------------------------------------

    async def refresh(self, presented: str) -> TokenPair:
        await self.ctx.limiter.check(f"refresh:ip:{self.meta.ip}", REFRESH_PER_IP)
        secret = RefreshSecret.parse(presented)
        await self.ctx.limiter.check(f"refresh:session:{secret.family}", REFRESH_PER_SESSION)
        row = await self.db.scalar(select(RefreshToken).where(RefreshToken.token == secret.stored_value))
        if row is None:
            raise TokenError()
        user = await self.db.get_one(User, row.user_id)
        self._act_as(user, secret.family)
        was_active = row.is_active
        # The conditional update is the lock: of two refreshes with one token, one wins.
        rotated = await self.db.execute(
            update(RefreshToken)
            .where(RefreshToken.id == row.id, RefreshToken.is_active.is_(True))
            .values(is_active=False, updated_at=now()),
            execution_options={"principals": user_scope(row.user_id)},
        )
        if rotated.rowcount != 1:  # type: ignore[attr-defined]
            if was_active:
                # Active when this request read it, rotated by another one before this could:
                # a race with a refresh of the same session, not a replay.
                raise Unauthorized(
                    "Another request refreshed this session with the same token a moment ago; "
                    "use the tokens it received.",
                    code="token_superseded",
                )
            await self._revoke(user.id, secret.family, "auth.refresh_reuse_detected")
            raise Unauthorized(
                "This refresh token was already used; the session is revoked.",
                code="token_reused",
                keep_changes=True,
            )
        if row.expires_at <= now():
            raise TokenError()
        await self._require_usable(user)
        return await self._sign_in(user, family=secret.family)

    async def logout(self, principal: Principal, all_sessions: bool) -> None:
        session_id = None if all_sessions else principal.session_id
        await self._revoke(principal.user_id, session_id, "auth.logout")
        record(self.db, AccessRevoked(user_id=principal.user_id, session_id=session_id))

    async def _revoke(self, user_id: int, family: str | None, action: str) -> None:
        """Deactivate the user's refresh tokens of one family (a session), or of all of them."""
        revoked = await end_sessions(self.db, user_id, family=family)
        audit.note(
            self.db, action, "users", user_id, {"revoked_tokens": revoked, "all_sessions": family is None}
        )

    # --- passwords -------------------------------------------------------------------------

    async def change_password(self, principal: Principal, current: str, new: str) -> None:
        user = await self.db.get_one(User, principal.user_id)
        if not self.ctx.passwords.verify(user.hashed_password, current):
            raise InvalidCredentials("The current password is wrong.")
        user.hashed_password = self.ctx.passwords.hash(new)
        audit.label(self.db, user, "auth.password_change")
        await self._revoke_other_sessions(user.id, principal.session_id)
        record(self.db, AccessRevoked(user_id=user.id, except_session_id=principal.session_id))

    async def _revoke_other_sessions(self, user_id: int, keep_family: str) -> None:
        revoked = await end_sessions(self.db, user_id, except_family=keep_family)
        audit.note(self.db, "auth.sessions_revoked", "users", user_id, {"revoked_tokens": revoked})

    async def activate(self, token: str, password: str) -> None:
        user = await self._user_for_link(token, "activate", activation_state)
        if user.is_active:
            raise TokenError("This activation link was already used.")
        user.hashed_password = self.ctx.passwords.hash(password)
        user.is_active = True
        audit.label(self.db, user, "auth.activate")

    async def request_reset(self, email: str) -> None:
        """Mail a reset link when the account exists; the answer never says whether it does."""
        email = email.strip().lower()
        await self.ctx.limiter.check(f"reset:ip:{self.meta.ip}", RESET_PER_IP)
        await self.ctx.limiter.check(f"reset:account:{email}", RESET_PER_ACCOUNT)
        user = await self.db.scalar(select(User).where(func.lower(User.email) == email))
        if user is None or not await self._usable(user):
            return
        link = reset_link(self.ctx.signer, self.ctx.settings, user)
        record(
            self.db,
            MailRequested(
                to=user.email,
                subject="Reset your MiraiWorks password",
                body=f"To choose a new password, open this link within one hour:\n\n{link}\n\n"
                "If you did not ask for this, ignore this mail.",
            ),
        )

    async def reset_password(self, token: str, password: str) -> None:
        user = await self._user_for_link(token, "reset", reset_state)
        await self._require_usable(user)
        user.hashed_password = self.ctx.passwords.hash(password)
        audit.label(self.db, user, "auth.password_reset")
        await self._revoke(user.id, None, "auth.sessions_revoked")
        record(self.db, AccessRevoked(user_id=user.id))

    async def _user_for_link(self, token: str, purpose: str, state: LinkState) -> User:
        user_id, fingerprint = self.ctx.signer.read_purpose_token(token, purpose)
        user = await self.db.get(User, user_id)
        if user is None or user.is_deleted:
            raise TokenError()
        expected = self.ctx.signer.fingerprint(*state(user))
        if not hmac.compare_digest(expected, fingerprint):
            raise TokenError("This link was already used or is no longer valid.")
        self._act_as(user)
        return user

    # --- who -------------------------------------------------------------------------------

    async def me(self, principal: Principal) -> Me:
        user = await self.db.get_one(User, principal.user_id)
        company = await self.db.get(Company, user.company_id) if user.company_id else None
        return Me(
            user=user_out(user, principal.roles),
            company=company_out(company) if company else None,
            roles=sorted(principal.roles),
        )

    async def _usable(self, user: User) -> bool:
        company = await self.db.get(Company, user.company_id) if user.company_id else None
        return account_usable(user, company)

    async def _require_usable(self, user: User) -> None:
        if not await self._usable(user):
            raise AccountDisabled()

    def _act_as(self, user: User, session_id: str | None = None) -> None:
        audit.set_actor(
            self.db,
            AuditActor(
                user_id=user.id,
                company_id=user.company_id,
                ip_address=self.meta.ip,
                user_agent=self.meta.user_agent,
                session_id=session_id,
            ),
        )
