"""Per-user settings (seed section 12)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IntPK, Timestamps, flag, table_args
from models.enums import SettingDataType
from models.types import StrEnumType


class UserSetting(IntPK, Timestamps, Base):
    __tablename__ = "user_settings"
    __table_args__ = table_args(UniqueConstraint("user_id", "setting_key"))

    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    setting_key: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    setting_value: Mapped[str | None] = mapped_column(Text)
    data_type: Mapped[SettingDataType] = mapped_column(
        StrEnumType(SettingDataType, 20),
        nullable=False,
        default=SettingDataType.STRING,
        server_default="string",
    )
    is_encrypted: Mapped[bool] = flag(False)
    category: Mapped[str | None] = mapped_column(String(50), index=True)
    description: Mapped[str | None] = mapped_column(Text)
